package io.jobstream.core.flow;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a flow names its jobs: child {@code n} (1-based) of parent {@code P} is {@code P:n}, so a
 * child's events say which position of the flow they belong to. The parent's QUEUED event declares
 * the number of children in its step ({@code 0/3 children done}), which is also what users see.
 */
public final class FlowIds {

    private static final Pattern STEP = Pattern.compile("(\\d+)/(\\d+) children done");

    private FlowIds() {
    }

    /** The id of the child at {@code index} (0-based) of {@code parentId}. */
    public static String child(String parentId, int index) {
        return parentId + ":" + (index + 1);
    }

    /** The 0-based position of {@code childId} in {@code parentId}'s flow, if it is one of its children. */
    public static OptionalInt indexOf(String parentId, String childId) {
        String prefix = parentId + ":";
        if (!childId.startsWith(prefix)) {
            return OptionalInt.empty();
        }
        try {
            int position = Integer.parseInt(childId.substring(prefix.length()));
            return position < 1 ? OptionalInt.empty() : OptionalInt.of(position - 1);
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** The parent {@code childId} names if it has a child's form ({@code P:n}). */
    public static Optional<String> parentOf(String childId) {
        int colon = childId.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String parentId = childId.substring(0, colon);
        return indexOf(parentId, childId).isPresent() ? Optional.of(parentId) : Optional.empty();
    }

    public static String step(int done, int total) {
        return done + "/" + total + " children done";
    }

    /** The number of children a flow parent's step names, e.g. 3 for {@code 1/3 children done}. */
    public static OptionalInt totalOf(String step) {
        if (step == null) {
            return OptionalInt.empty();
        }
        Matcher matcher = STEP.matcher(step);
        return matcher.matches() ? OptionalInt.of(Integer.parseInt(matcher.group(2))) : OptionalInt.empty();
    }
}
