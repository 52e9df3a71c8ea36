package io.jobstream.document.classification;

/** Puts a document's text under one of the configured labels. Implementations are thread-safe. */
public interface DocumentClassifier {

    Classification classify(String text);
}
