package io.jobstream.core.async;

/**
 * A processor downstream of an {@link AsyncStep} failed on another job's outcome while the step
 * was handling the current record. The current record is not to blame, so it must not be
 * dead-lettered for it.
 */
public final class OutcomeForwardingException extends RuntimeException {

    OutcomeForwardingException(String jobId, RuntimeException cause) {
        super("forwarding the outcome of job " + jobId + " failed: " + cause.getMessage(), cause);
    }
}
