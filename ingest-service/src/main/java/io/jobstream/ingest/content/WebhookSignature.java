package io.jobstream.ingest.content;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.http.HttpStatus;

import io.jobstream.ingest.api.RejectedRequestException;

/**
 * HMAC-SHA256 over the raw body, sent as {@code sha256=<hex>} (GitHub's webhook convention).
 * Compared in constant time, so a forger learns nothing from how long a wrong guess takes.
 */
final class WebhookSignature {

    static final String PREFIX = "sha256=";
    private static final String ALGORITHM = "HmacSHA256";

    private final String header;
    private final SecretKeySpec key;

    private WebhookSignature(String header, SecretKeySpec key) {
        this.header = header;
        this.key = key;
    }

    static WebhookSignature of(WebhookProperties properties) {
        SecretKeySpec key = properties.signatureRequired()
                ? new SecretKeySpec(properties.secret().getBytes(StandardCharsets.UTF_8), ALGORITHM)
                : null;
        return new WebhookSignature(properties.signatureHeader(), key);
    }

    /** @throws RejectedRequestException 401 when a secret is set and {@code signature} is missing or wrong */
    void verify(byte[] body, String signature) {
        if (key == null) {
            return;
        }
        if (signature == null || signature.isBlank()) {
            throw unauthorized("is required");
        }
        String value = signature.trim();
        if (!value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw unauthorized("must be " + PREFIX + "<hex HMAC-SHA256 of the body>");
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(value.substring(PREFIX.length()));
        } catch (IllegalArgumentException notHex) {
            throw unauthorized("must be " + PREFIX + "<hex HMAC-SHA256 of the body>");
        }
        if (!MessageDigest.isEqual(sign(body), given)) {
            throw unauthorized("does not match the body");
        }
    }

    private byte[] sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private RejectedRequestException unauthorized(String reason) {
        return new RejectedRequestException(HttpStatus.UNAUTHORIZED, "Invalid webhook signature", header, reason);
    }
}
