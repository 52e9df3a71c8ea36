package io.jobstream.ingest.content;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import io.jobstream.ingest.api.RejectedRequestException;

/** The signature check alone: a known HMAC-SHA256 test vector, and no check without a secret. */
class WebhookSignatureTest {

    /** RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?". */
    private static final String RFC_4231_MAC = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    private static final byte[] BODY = "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8);

    @Test
    void acceptsTheHmacOfTheBody() {
        WebhookSignature signature = WebhookSignature.of(properties("Jefe"));

        assertThatCode(() -> signature.verify(BODY, "sha256=" + RFC_4231_MAC)).doesNotThrowAnyException();
        assertThatCode(() -> signature.verify(BODY, " SHA256=" + RFC_4231_MAC.toUpperCase() + " ")).doesNotThrowAnyException();
    }

    @Test
    void rejectsAnyOtherSignature() {
        WebhookSignature signature = WebhookSignature.of(properties("Jefe"));
        String flipped = RFC_4231_MAC.substring(0, 63) + "4";

        assertThatThrownBy(() -> signature.verify(BODY, "sha256=" + flipped)).isInstanceOf(RejectedRequestException.class)
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> signature.verify(BODY, "sha256=" + RFC_4231_MAC.substring(2)))
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> signature.verify(BODY, null)).hasMessageContaining("is required");
    }

    @Test
    void withoutASecretNothingIsChecked() {
        WebhookSignature signature = WebhookSignature.of(properties(""));

        assertThatCode(() -> signature.verify(BODY, null)).doesNotThrowAnyException();
        assertThatCode(() -> signature.verify(BODY, "sha256=00")).doesNotThrowAnyException();
    }

    private static WebhookProperties properties(String secret) {
        return new WebhookProperties(DataSize.ofMegabytes(5), "X-Jobstream-Signature", secret);
    }
}
