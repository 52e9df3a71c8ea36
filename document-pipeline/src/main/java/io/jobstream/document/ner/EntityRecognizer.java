package io.jobstream.document.ner;

import java.util.List;

import io.jobstream.store.document.Mention;

/** Finds named entities in text, with character offsets. Implementations are thread-safe. */
public interface EntityRecognizer {

    List<Mention> recognize(String text);

    /** Which model recognized the entities, recorded with the result. */
    String provider();
}
