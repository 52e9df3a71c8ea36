package io.jobstream.ingest.api;

/** Whole-number query parameters, read strictly: every problem is a 400 naming the parameter. */
public final class RequestNumbers {

    private RequestNumbers() {
    }

    /** A non-negative whole number, or {@code fallback} when absent. */
    public static long wholeNumber(String field, String raw, long fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException(field, "must be a whole number, got '" + raw + "'");
        }
        if (value < 0) {
            throw new BadRequestException(field, "must not be negative");
        }
        return value;
    }

    /** {@code true} or {@code false}; false when absent. */
    public static boolean flag(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return false;
        }
        return switch (raw.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadRequestException(field, "must be true or false, got '" + raw + "'");
        };
    }

    /** A count from 0 to {@code max}, or {@code fallback} when absent. */
    public static int count(String field, String raw, int fallback, int max) {
        long value = wholeNumber(field, raw, fallback);
        if (value > max) {
            throw new BadRequestException(field, "must be at most " + max);
        }
        return (int) value;
    }
}
