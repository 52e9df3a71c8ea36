package io.jobstream.core.flow;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the tracker knows about one flow: the parent's identity and the outcome of each child.
 *
 * @param total    number of children; 0 until the parent's declaration has arrived
 * @param finished the parent's terminal event has been published (reopened by a child's retry)
 */
record FlowState(String parentId, String queue, String jobType, int total, Instant enqueuedAt, String data,
                 boolean active, boolean finished, Child[] children) {

    enum Outcome { PENDING, COMPLETED, FAILED, CANCELLED }

    /**
     * @param followUpsDone   the follow-up jobs of this child seen completed (they may finish before the child's event is folded)
     * @param followUpsFailed the follow-up jobs of this child whose last run failed for good; {@code error} says why.
     *                        A follow-up queued again (retried, or replayed from its dead letters) leaves this set
     */
    record Child(Outcome outcome, String returnValue, String error, Set<String> followUpsDone, Set<String> followUpsFailed) {
        static final Child PENDING = new Child(Outcome.PENDING, null, null, Set.of(), Set.of());

        Child(Outcome outcome, String returnValue, String error) {
            this(outcome, returnValue, error, Set.of(), Set.of());
        }

        Child withOutcome(Outcome next, String value, String failure) {
            return new Child(next, value, failure, followUpsDone, followUpsFailed);
        }

        Child withFollowUpDone(String jobId) {
            return new Child(outcome, returnValue, error, plus(followUpsDone, jobId), minus(followUpsFailed, jobId)).cleared();
        }

        Child withFollowUpFailed(String jobId, String failure) {
            return new Child(outcome, returnValue, failure, followUpsDone, plus(followUpsFailed, jobId));
        }

        /** A new run of a follow-up job: it no longer fails its child. */
        Child withFollowUpRequeued(String jobId) {
            return new Child(outcome, returnValue, error, followUpsDone, minus(followUpsFailed, jobId)).cleared();
        }

        /** Failed itself, or a follow-up job of it failed for good. */
        boolean failed() {
            return outcome == Outcome.FAILED || !followUpsFailed.isEmpty();
        }

        /** Completed, and so is every follow-up job its result names. */
        boolean done(Collection<String> followUps) {
            return outcome == Outcome.COMPLETED && followUpsDone.containsAll(followUps);
        }

        /** A completed child keeps no error once none of its follow-ups fails any more. */
        private Child cleared() {
            return outcome == Outcome.COMPLETED && followUpsFailed.isEmpty()
                    ? new Child(outcome, returnValue, null, followUpsDone, followUpsFailed) : this;
        }

        private static Set<String> plus(Set<String> set, String jobId) {
            Set<String> next = new LinkedHashSet<>(set);
            next.add(jobId);
            return Set.copyOf(next);
        }

        private static Set<String> minus(Set<String> set, String jobId) {
            Set<String> next = new LinkedHashSet<>(set);
            next.remove(jobId);
            return Set.copyOf(next);
        }
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

    /**
     * A new run of the parent: what failed it was retried. Its start must rank after the failed run's
     * in the status store, even if this clock reads no later than the one that stamped that run.
     */
    FlowState reopened(Instant now) {
        Instant at = enqueuedAt == null || now.isAfter(enqueuedAt) ? now : enqueuedAt.plusMillis(1);
        return new FlowState(parentId, queue, jobType, total, at, data, false, false, children);
    }

    /** Finished by a failed or cancelled child, and none fails any more: a retry is running. */
    boolean reopenable(FollowUps followUps) {
        if (!finished || !declared()) {
            return false;
        }
        for (int i = 0; i < total; i++) {
            Child child = child(i);
            if (child.failed() || child.outcome() == Outcome.CANCELLED) {
                return false;
            }
        }
        return done(followUps) < total;
    }

    Child child(int index) {
        return index < children.length && children[index] != null ? children[index] : Child.PENDING;
    }

    boolean declared() {
        return total > 0;
    }

    /** Children done: completed, with every follow-up job their results name ({@code followUps}) completed. */
    int done(FollowUps followUps) {
        int done = 0;
        for (int i = 0; i < total; i++) {
            Child child = child(i);
            if (child.done(followUps.of(child.returnValue()))) {
                done++;
            }
        }
        return done;
    }

    /**
     * Percent of the flow done, never decreasing: a child is worth one half when it completes and the
     * other half spread over its follow-up jobs as they complete (all of it at once if it names none).
     */
    int progress(FollowUps followUps) {
        if (total == 0) {
            return 0;
        }
        double halves = 0;
        for (int i = 0; i < total; i++) {
            Child child = child(i);
            if (child.outcome() != Outcome.COMPLETED) {
                continue;
            }
            List<String> named = followUps.of(child.returnValue());
            long completed = named.stream().filter(child.followUpsDone()::contains).count();
            halves += 1 + (named.isEmpty() ? 1 : (double) completed / named.size());
        }
        return (int) Math.floor(halves * 100 / (2.0 * total));
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
