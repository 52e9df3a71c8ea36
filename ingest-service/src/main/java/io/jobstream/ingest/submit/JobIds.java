package io.jobstream.ingest.submit;

import java.util.Optional;

/**
 * What a job id, or an entity id that becomes part of one, may look like. Ids appear in
 * {@code /api/jobs/{id}}, where a '/' cannot be expressed (servers reject an encoded one).
 */
public final class JobIds {

    public static final int MAX_LENGTH = 200;

    private JobIds() {
    }

    /** Why {@code id} cannot be used, or empty when it can. */
    public static Optional<String> problem(String id) {
        if (id.isBlank()) {
            return Optional.of("must not be blank");
        }
        if (id.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters, got " + id.length());
        }
        if (id.indexOf('/') >= 0) {
            return Optional.of("must not contain '/' (job ids are read back at /api/jobs/{id})");
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("must not contain control characters");
        }
        return Optional.empty();
    }
}
