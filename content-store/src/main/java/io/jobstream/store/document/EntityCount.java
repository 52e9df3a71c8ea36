package io.jobstream.store.document;

/** A named entity of a document and how often the document mentions it. */
public record EntityCount(String type, String name, int mentions) {
}
