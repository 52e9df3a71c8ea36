package io.jobstream.embedding.job;

import io.jobstream.events.EmbeddingStored;

/**
 * What an embedding job produced: the stored vector of a single-entity job (published on
 * embedding.stored), or none for the batch jobs, and the job's return value as JSON.
 */
public record EmbeddingJobResult(EmbeddingStored stored, String returnValue) {
}
