package io.jobstream.core.flow;

import java.time.Instant;
import java.util.Arrays;

/**
 * What the tracker knows about one flow: the parent's identity and the outcome of each child.
 *
 * @param total    number of children; 0 until the parent's declaration has arrived
 * @param finished the parent's terminal event has been published (reopened by a child's retry)
 */
record FlowState(String parentId, String queue, String jobType, int total, Instant enqueuedAt, String data,
                 boolean active, boolean finished, Child[] children) {

    enum Outcome { PENDING, COMPLETED, FAILED, CANCELLED }

    record Child(Outcome outcome, String returnValue, String error) {
        static final Child PENDING = new Child(Outcome.PENDING, null, null);
    }

    static FlowState undeclared(String parentId) {
        return new FlowState(parentId, null, null, 0, null, null, false, false, new Child[0]);
    }

    FlowState declared(String queueName, String type, int childCount, Instant at, String json) {
        return new FlowState(parentId, queueName, type, childCount, at, json, active, finished, sized(childCount));
    }

    FlowState withChild(int index, Child child) {
        Child[] next = sized(Math.max(children.length, index + 1));
        next[index] = child;
        return new FlowState(parentId, queue, jobType, total, enqueuedAt, data, active, finished, next);
    }

    FlowState activated() {
        return new FlowState(parentId, queue, jobType, total, enqueuedAt, data, true, finished, children);
    }

    FlowState finish() {
        return new FlowState(parentId, queue, jobType, total, enqueuedAt, data, active, true, children);
    }

    /** A new run of the parent: a failed child was retried after the parent had failed. */
    FlowState reopened(Instant at) {
        return new FlowState(parentId, queue, jobType, total, at, data, false, false, children);
    }

    Child child(int index) {
        return index < children.length && children[index] != null ? children[index] : Child.PENDING;
    }

    boolean declared() {
        return total > 0;
    }

    int done() {
        int done = 0;
        for (int i = 0; i < total; i++) {
            if (child(i).outcome() == Outcome.COMPLETED) {
                done++;
            }
        }
        return done;
    }

    private Child[] sized(int length) {
        Child[] copy = Arrays.copyOf(children, Math.max(length, children.length));
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == null) {
                copy[i] = Child.PENDING;
            }
        }
        return copy;
    }
}
