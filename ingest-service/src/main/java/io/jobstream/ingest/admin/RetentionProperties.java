package io.jobstream.ingest.admin;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many finished jobs the status store keeps (BullMQ's {@code removeOnComplete} and
 * {@code removeOnFail}), for every queue unless {@code queues} says otherwise.
 *
 * @param interval how often retention runs (on one instance)
 * @param queues   per-queue limits, by queue name
 */
@ConfigurationProperties("jobstream.ingest.retention")
public record RetentionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1m") Duration interval,
        @DefaultValue Limits defaults,
        Map<String, Limits> queues) {

    public RetentionProperties {
        queues = queues == null ? Map.of() : Map.copyOf(queues);
    }

    public Limits of(String queue) {
        return queues.getOrDefault(queue, defaults);
    }

    /**
     * @param keepCompleted newest completed jobs kept
     * @param keepFailed    newest failed, dead-lettered or cancelled jobs kept
     * @param completedAge  completed jobs older than this are removed whatever their number; null: no limit
     * @param failedAge     the same for failed jobs
     */
    public record Limits(@DefaultValue("100") int keepCompleted, @DefaultValue("100") int keepFailed,
                         Duration completedAge, Duration failedAge) {

        public Limits {
            if (keepCompleted < 0 || keepFailed < 0) {
                throw new IllegalArgumentException("retention counts must not be negative, got " + keepCompleted + "/" + keepFailed);
            }
        }
    }
}
