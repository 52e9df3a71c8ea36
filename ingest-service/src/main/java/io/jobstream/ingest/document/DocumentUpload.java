package io.jobstream.ingest.document;

/**
 * One document as posted, multipart or JSON.
 *
 * @param jobId the client's job id, or null for a generated one
 */
record DocumentUpload(String jobId, String fileName, byte[] content) {
}
