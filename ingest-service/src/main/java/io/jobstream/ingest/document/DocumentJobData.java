package io.jobstream.ingest.document;

/** The document job's {@code data} as the status store keeps it: what was uploaded, not the bytes. */
record DocumentJobData(String fileName, String mediaType, long sizeBytes, String contentRef) {
}
