package io.jobstream.core.flow;

/** Why a flow's parent failed: one of its children failed for good. */
public final class ChildJobFailedException extends RuntimeException {

    public ChildJobFailedException(String message) {
        super(message, null, false, false);
    }
}
