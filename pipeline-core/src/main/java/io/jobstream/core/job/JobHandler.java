package io.jobstream.core.job;

/**
 * The work of one queue: BullMQ's processor function. Throwing fails the attempt; the failure
 * is classified and the job retried or dead-lettered.
 */
@FunctionalInterface
public interface JobHandler<V, R> {

    R handle(Job<V> job) throws Exception;
}
