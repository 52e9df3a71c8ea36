package io.jobstream.ingest.admin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param apiKey when set, every mutating admin route and the internal routes between instances need it
 *               ({@code Authorization: Bearer <key>} or {@code X-Api-Key: <key>}); blank leaves them open
 */
@ConfigurationProperties("jobstream.admin")
public record AdminProperties(@DefaultValue("") String apiKey) {

    public boolean keyRequired() {
        return !apiKey.isBlank();
    }

    /** The key never reaches a log, an actuator page or an error message. */
    @Override
    public String toString() {
        return "AdminProperties[apiKey=" + (keyRequired() ? "(set)" : "(none)") + "]";
    }
}
