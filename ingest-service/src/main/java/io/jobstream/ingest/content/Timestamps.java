package io.jobstream.ingest.content;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;

/**
 * Dates as scrapers send them: ISO-8601 (with an offset, or without one meaning UTC, or a bare
 * date) or epoch milliseconds, as a number or a string of digits.
 */
public final class Timestamps {

    private static final int MAX_EPOCH_DIGITS = 18;
    private static final List<Function<String, Instant>> ISO_FORMS = List.of(
            text -> OffsetDateTime.parse(text).toInstant(),
            text -> LocalDateTime.parse(text).toInstant(ZoneOffset.UTC),
            text -> LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());

    private Timestamps() {
    }

    /** The instant {@code value} names, or empty when it names none. */
    public static Optional<Instant> parse(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Optional.of(Instant.ofEpochMilli(value.longValue()));
        }
        if (!value.isString()) {
            return Optional.empty();
        }
        String text = value.stringValue().trim();
        if (!text.isEmpty() && text.length() <= MAX_EPOCH_DIGITS && text.chars().allMatch(Character::isDigit)) {
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(text)));
        }
        for (Function<String, Instant> form : ISO_FORMS) {
            try {
                return Optional.of(form.apply(text));
            } catch (DateTimeException notThisForm) {
                // the next form may fit
            }
        }
        return Optional.empty();
    }
}
