package io.jobstream.store.document;

/** An uploaded file as the client sent it. */
public record Upload(String fileName, String contentType, byte[] content) {
}
