package io.jobstream.document;

import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.store.document.DocumentTexts;

/** The extracted text a step's record refers to (claim check), or a permanent failure when it is gone. */
public final class DocumentTextLoader {

    private final DocumentTexts texts;

    public DocumentTextLoader(DocumentTexts texts) {
        this.texts = texts;
    }

    public String load(String textRef, String fileName) {
        return texts.load(textRef)
                .orElseThrow(() -> new PermanentJobException("the extracted text of " + fileName + " (" + textRef
                        + ") is not in the content store"))
                .text();
    }
}
