package io.jobstream.core.trace;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code jobstream.tracing.*}: span export of job attempts. Off unless {@code otlp.endpoint} is set.
 *
 * @param otlp where and how often the spans are sent
 */
@ConfigurationProperties("jobstream.tracing")
public record TracingProperties(@DefaultValue Otlp otlp) {

    /**
     * @param endpoint       the OTLP/HTTP traces URL (e.g. {@code http://localhost:4318/v1/traces}); blank: no spans
     * @param exportInterval how long finished spans wait to be sent in one batch
     * @param timeout        the limit of one export request
     */
    public record Otlp(@DefaultValue("") String endpoint, @DefaultValue("5s") Duration exportInterval,
                       @DefaultValue("10s") Duration timeout) {

        public boolean enabled() {
            return !endpoint.isBlank();
        }
    }
}
