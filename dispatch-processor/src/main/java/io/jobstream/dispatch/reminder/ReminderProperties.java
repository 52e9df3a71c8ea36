package io.jobstream.dispatch.reminder;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.jobstream.store.reminder.Channel;

/**
 * Where reminders go, e.g. {@code jobstream.reminders.channels.push.url=https://push.example.com/reminders}.
 *
 * @param channels        the receiver of each channel; a reminder for a channel without one fails permanently
 * @param signatureHeader the header carrying {@code sha256=<hex HMAC-SHA256 of the body>}
 * @param timeout         one delivery's limit; a timeout is retried
 * @param deliveryHold    how long a delivery under way keeps other workers from sending the same reminder;
 *                        longer than {@code timeout}, as a worker killed mid-delivery delays the reminder by this
 */
@ConfigurationProperties("jobstream.reminders")
public record ReminderProperties(@DefaultValue Map<Channel, Receiver> channels,
                                 @DefaultValue("X-Jobstream-Signature") String signatureHeader,
                                 @DefaultValue("10s") Duration timeout,
                                 @DefaultValue("30s") Duration deliveryHold) {

    public ReminderProperties {
        channels = Map.copyOf(channels);
        if (deliveryHold.compareTo(timeout.multipliedBy(2)) <= 0) {
            // Connecting and answering each get the timeout.
            throw new IllegalArgumentException("jobstream.reminders.delivery-hold (" + deliveryHold
                    + ") must be longer than twice jobstream.reminders.timeout (" + timeout + ")");
        }
    }

    public Optional<Receiver> receiver(Channel channel) {
        return Optional.ofNullable(channels.get(channel))
                .filter(receiver -> receiver.url() != null && !receiver.url().toString().isBlank());
    }

    /**
     * @param url    the receiver's endpoint for this channel
     * @param secret the HMAC-SHA256 key the body is signed with; blank: unsigned
     */
    public record Receiver(URI url, @DefaultValue("") String secret) {

        @Override
        public String toString() {
            return "Receiver[url=" + url + ", secret=" + (secret.isEmpty() ? "" : "***") + "]";
        }
    }
}
