package io.jobstream.core.flow;

import java.util.List;

/**
 * The follow-up jobs a flow's child started (on another queue, with the child as their parent), read
 * from the child's result: the child counts as done only once they have completed too.
 */
@FunctionalInterface
public interface FollowUps {

    FollowUps NONE = returnValue -> List.of();

    /** The follow-up job ids {@code returnValue} (the child's JSON result, may be null) names. */
    List<String> of(String returnValue);
}
