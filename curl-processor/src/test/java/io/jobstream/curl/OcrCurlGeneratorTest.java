package io.jobstream.curl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jobstream.core.retry.PermanentJobException;
import io.jobstream.curl.extract.ApiEndpoint;
import io.jobstream.curl.extract.EndpointExtractor;
import io.jobstream.curl.generate.ApiDocumentation;
import io.jobstream.curl.generate.OcrCurlGenerator;
import io.jobstream.curl.generate.Screenshot;
import io.jobstream.curl.ocr.TesseractOcr;
import io.jobstream.test.ApiPageScreenshots;

/** The offline generator on screenshots drawn here, through the real Tesseract. */
class OcrCurlGeneratorTest {

    private final OcrCurlGenerator generator = new OcrCurlGenerator(
            new TesseractOcr("tesseract", "eng", 6, Duration.ofSeconds(60), 1, 14), new EndpointExtractor(), 80);

    @Test
    void theIssuesExamplePageBecomesACurlWithItsMethodUrlHeadersAndBody() {
        byte[] png = ApiPageScreenshots.page("Users API reference", List.of(ApiPageScreenshots.listUsers()));

        ApiDocumentation documentation = generator.generate(new Screenshot(png, "image/png", "https://docs.example.com/users", "Users API"));

        assertThat(documentation.provider()).isEqualTo("tesseract-ocr");
        assertThat(documentation.endpoints()).hasSize(1);
        ApiEndpoint endpoint = documentation.endpoints().getFirst();
        assertThat(endpoint.method()).isEqualTo("GET");
        assertThat(endpoint.url()).isEqualTo("https://api.example.com/v1/users?limit=10");
        assertThat(endpoint.headers()).containsEntry("Authorization", "Bearer sk_test_123")
                .containsEntry("Accept", "application/json");
        assertThat(endpoint.body()).isEqualTo("{\"role\":\"admin\",\"active\":true}");
        assertThat(endpoint.description()).isEqualTo("List the users of your workspace");
        assertThat(endpoint.curl()).isEqualTo("""
                curl -X GET 'https://api.example.com/v1/users?limit=10' \\
                  -H 'Authorization: Bearer sk_test_123' \\
                  -H 'Accept: application/json' \\
                  --data '{"role":"admin","active":true}'""");
        assertThat(endpoint.markdown()).startsWith("### GET https://api.example.com/v1/users?limit=10")
                .contains("| Authorization | Bearer sk_test_123 |");
        assertThat(documentation.confidence()).isGreaterThan(80);
        System.out.printf("OCR of the example page: %d ms, mean word confidence %.1f, low-confidence lines %s%n",
                documentation.millis(), documentation.confidence(), documentation.lowConfidenceLines());
    }

    @Test
    void everyEndpointOfAPageWithSeveralIsFoundWithItsOwnHeaders() {
        List<ApiPageScreenshots.Endpoint> drawn = List.of(
                new ApiPageScreenshots.Endpoint("Create an order", "POST", "https://shop.example.com/v2/orders",
                        List.of("Content-Type: application/json", "Idempotency-Key: order-42"),
                        List.of("{", "  \"sku\": \"desk-oak\",", "  \"quantity\": 2", "}")),
                new ApiPageScreenshots.Endpoint("Delete an order", "DELETE", "https://shop.example.com/v2/orders/42",
                        List.of("X-Api-Key: key_live_9"), List.of()));

        ApiDocumentation documentation = generator.generate(new Screenshot(ApiPageScreenshots.page("Orders", drawn),
                "image/png", "https://docs.example.com/orders", "Orders"));

        assertThat(documentation.endpoints()).extracting(ApiEndpoint::method).containsExactly("POST", "DELETE");
        assertThat(documentation.endpoints()).extracting(ApiEndpoint::url)
                .containsExactly("https://shop.example.com/v2/orders", "https://shop.example.com/v2/orders/42");
        assertThat(documentation.endpoints().get(0).headers()).containsOnlyKeys("Content-Type", "Idempotency-Key");
        assertThat(documentation.endpoints().get(0).body()).isEqualTo("{\"sku\":\"desk-oak\",\"quantity\":2}");
        assertThat(documentation.endpoints().get(1).headers()).containsOnly(java.util.Map.entry("X-Api-Key", "key_live_9"));
        assertThat(documentation.endpoints().get(1).body()).isNull();
        System.out.printf("OCR of the orders page: %d ms, mean word confidence %.1f%n", documentation.millis(), documentation.confidence());
    }

    @Test
    void anImageTesseractCannotReadIsAPermanentFailureSayingSo() {
        byte[] png = ApiPageScreenshots.page("x", List.of());
        byte[] broken = Arrays.copyOf(png, 40);

        assertThatThrownBy(() -> generator.generate(new Screenshot(broken, "image/png", "https://docs.example.com/broken", "Broken")))
                .isInstanceOf(PermanentJobException.class)
                .hasMessageContaining("not a readable image");
    }

    @Test
    void aPageWithoutAnEndpointIsAPermanentFailureSayingWhatWasRead() {
        byte[] png = ApiPageScreenshots.page("Welcome to our developer portal", List.of());

        assertThatThrownBy(() -> generator.generate(new Screenshot(png, "image/png", "https://docs.example.com/", "Home")))
                .isInstanceOf(PermanentJobException.class)
                .hasMessageContaining("no HTTP endpoint")
                .hasMessageContaining("https://docs.example.com/");
    }
}
