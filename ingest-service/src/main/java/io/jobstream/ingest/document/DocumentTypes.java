package io.jobstream.ingest.document;

import java.util.List;

import org.apache.tika.Tika;
import org.springframework.stereotype.Component;

/** What a file is, as Apache Tika detects it from its first bytes and its name, and whether the pipeline takes it. */
@Component
public class DocumentTypes {

    private final Tika tika = new Tika();
    private final List<String> supported;

    public DocumentTypes(DocumentProperties properties) {
        this.supported = List.copyOf(properties.supportedTypes());
    }

    public String detect(byte[] content, String fileName) {
        return tika.detect(content, fileName);
    }

    public boolean isSupported(String mediaType) {
        return supported.stream().anyMatch(accepted -> accepted.endsWith("*")
                ? mediaType.startsWith(accepted.substring(0, accepted.length() - 1))
                : mediaType.equals(accepted));
    }

    public List<String> supported() {
        return supported;
    }
}
