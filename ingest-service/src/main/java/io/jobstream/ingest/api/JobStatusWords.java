package io.jobstream.ingest.api;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.jobstream.events.JobState;

/** BullMQ's status words, which our users' clients know, and how they map to {@link JobState}. */
public final class JobStatusWords {

    /** Filter words; where a word is also an enum name ("active", "failed") the BullMQ meaning wins. */
    private static final Map<String, Set<JobState>> FILTERS = Map.of(
            "waiting", EnumSet.of(JobState.QUEUED),
            "active", EnumSet.of(JobState.ACTIVE, JobState.PROGRESS),
            "completed", EnumSet.of(JobState.COMPLETED),
            "failed", EnumSet.of(JobState.FAILED, JobState.DEAD_LETTERED),
            "delayed", EnumSet.of(JobState.DELAYED, JobState.RETRY_SCHEDULED),
            "cancelled", EnumSet.of(JobState.CANCELLED),
            "dead-lettered", EnumSet.of(JobState.DEAD_LETTERED));

    private JobStatusWords() {
    }

    /** The BullMQ word for a state: waiting, delayed, active, completed, failed or cancelled. */
    public static String of(JobState state) {
        return switch (state) {
            case QUEUED -> "waiting";
            case DELAYED, RETRY_SCHEDULED -> "delayed";
            case ACTIVE, PROGRESS -> "active";
            case COMPLETED -> "completed";
            case FAILED, DEAD_LETTERED -> "failed";
            case CANCELLED -> "cancelled";
            case REMOVED -> "removed";
        };
    }

    /** The states a {@code state} filter means: a BullMQ word or one of our state names, any case. */
    public static Optional<Set<JobState>> parseFilter(String value) {
        String word = value.trim().toLowerCase(Locale.ROOT);
        Set<JobState> states = FILTERS.get(word);
        if (states != null) {
            return Optional.of(states);
        }
        return Arrays.stream(JobState.values())
                .filter(state -> state.name().equalsIgnoreCase(word))
                .findFirst()
                .map(EnumSet::of);
    }

    /** What {@link #parseFilter} accepts, for error messages. */
    public static String accepted() {
        return "waiting, active, completed, failed, delayed, cancelled, dead-lettered, or one of "
                + Arrays.stream(JobState.values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
