package io.jobstream.ingest.content;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The scraper webhook.
 *
 * @param maxBodySize     larger bodies are refused with 413 before they are read
 * @param signatureHeader the header carrying {@code sha256=<hex HMAC-SHA256 of the raw body>}
 * @param secret          the HMAC key; blank accepts unsigned requests (set it in production, e.g.
 *                        through {@code JOBSTREAM_INGEST_WEBHOOK_SECRET})
 */
@ConfigurationProperties("jobstream.ingest.webhook")
public record WebhookProperties(
        @DefaultValue("5MB") DataSize maxBodySize,
        @DefaultValue("X-Jobstream-Signature") String signatureHeader,
        @DefaultValue("") String secret) {

    /** The body is held in one array, and an HMAC needs all of it. */
    private static final DataSize MAX_CONFIGURABLE_BODY = DataSize.ofMegabytes(512);

    public WebhookProperties {
        if (maxBodySize.toBytes() < 1 || maxBodySize.compareTo(MAX_CONFIGURABLE_BODY) > 0) {
            throw new IllegalArgumentException("jobstream.ingest.webhook.max-body-size must be between 1B and "
                    + MAX_CONFIGURABLE_BODY + ", got " + maxBodySize);
        }
        if (signatureHeader.isBlank()) {
            throw new IllegalArgumentException("jobstream.ingest.webhook.signature-header must not be blank");
        }
    }

    public boolean signatureRequired() {
        return !secret.isBlank();
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "WebhookProperties[maxBodySize=" + maxBodySize + ", signatureHeader=" + signatureHeader
                + ", secret=" + (signatureRequired() ? "(set)" : "(none)") + "]";
    }
}
