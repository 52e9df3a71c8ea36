package io.jobstream.dispatch.reminder;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.jobstream.dispatch.reminder.ReminderProperties.Receiver;
import tools.jackson.databind.json.JsonMapper;

/**
 * POSTs the reminder as JSON to its channel's URL, with {@code Idempotency-Key: {scheduleId}} and,
 * when the channel has a secret, {@code sha256=<hex>} HMAC-SHA256 of the body (the webhook's
 * signature convention).
 */
public final class HttpReminderSink implements ReminderSink {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final String HMAC = "HmacSHA256";

    private final ReminderProperties properties;
    private final HttpClient http;
    private final JsonMapper json;

    public HttpReminderSink(ReminderProperties properties, JsonMapper json) {
        this.properties = properties;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
    }

    @Override
    public Delivery deliver(ReminderMessage reminder) {
        Receiver receiver = properties.receiver(reminder.channel()).orElse(null);
        if (receiver == null) {
            return new Delivery.Refused(null, "no receiver configured for channel " + reminder.channel()
                    + " (jobstream.reminders.channels." + reminder.channel().name().toLowerCase() + ".url)");
        }
        byte[] body = json.writeValueAsBytes(reminder);
        HttpRequest.Builder request = HttpRequest.newBuilder(receiver.url())
                .timeout(properties.timeout())
                .header("Content-Type", "application/json")
                .header(IDEMPOTENCY_KEY, reminder.scheduleId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!receiver.secret().isEmpty()) {
            request.header(properties.signatureHeader(), "sha256=" + HexFormat.of().formatHex(sign(receiver.secret(), body)));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // Timeouts (HttpTimeoutException) and refused connections alike: the receiver may be back soon.
            return new Delivery.Unavailable(null, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Delivery.Unavailable(null, "interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new Delivery.Accepted(status);
        }
        String reason = "receiver answered " + status + abbreviated(response.body());
        // 408 and 429 are the receiver asking for later, not a refusal.
        return status >= 500 || status == 408 || status == 429
                ? new Delivery.Unavailable(status, reason)
                : new Delivery.Refused(status, reason);
    }

    private static String abbreviated(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        return ": " + (body.length() > 200 ? body.substring(0, 200) + "…" : body);
    }

    private static byte[] sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
