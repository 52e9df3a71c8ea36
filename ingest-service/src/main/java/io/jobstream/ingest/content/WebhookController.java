package io.jobstream.ingest.content;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.jobstream.ingest.api.ApiExceptionHandler;
import io.jobstream.ingest.api.BadRequestException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scraper webhook (seed 000's {@code POST /api/content/ingest/webhook}): dataset items → posts
 * on content.posts and their embedding jobs. Valid items are accepted even when others are not;
 * each rejected item is reported with its field and reason.
 *
 * <p>The body is read here, not bound by Spring, because the signature covers the exact bytes and
 * the size limit must hold before the body is in memory.
 */
@RestController
public class WebhookController {

    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);

    private final WebhookProperties properties;
    private final WebhookSignature signature;
    private final PostIngestion ingestion;
    private final ObjectReader reader;

    public WebhookController(WebhookProperties properties, PostIngestion ingestion, JsonMapper json) {
        this.properties = properties;
        this.signature = WebhookSignature.of(properties);
        this.ingestion = ingestion;
        this.reader = json.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    @PostMapping("/api/content/ingest/webhook")
    public ResponseEntity<WebhookResponse> ingest(HttpServletRequest request) throws IOException {
        byte[] body = WebhookBody.read(request, properties.maxBodySize().toBytes());
        signature.verify(body, request.getHeader(properties.signatureHeader()));
        List<JsonNode> items = DatasetItems.of(parse(body));

        DatasetItems.Read read = DatasetItems.readAll(items);
        if (read.posts().isEmpty()) {
            log.info("webhook rejected every item items={} firstError={}", items.size(), read.errors().getFirst());
            return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT)
                    .body(WebhookResponse.nothingAccepted(read.rejected(), read.errors()));
        }
        PostIngestion.Ingested ingested = ingestion.ingest(read.posts());
        if (read.rejected() > 0) {
            log.info("webhook rejected some items rejected={} accepted={} firstError={}",
                    read.rejected(), read.posts().size(), read.errors().getFirst());
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(WebhookResponse.accepted(ingested.jobIds(), ingested.duplicates(), read.rejected(), read.errors()));
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw new BadRequestException("body", "is empty");
        }
        JsonNode root;
        try {
            root = reader.readTree(body);
        } catch (JacksonException e) {
            throw new BadRequestException("body", ApiExceptionHandler.malformedJson(e));
        }
        if (root == null || root.isMissingNode()) {
            throw new BadRequestException("body", "is empty");
        }
        return root;
    }
}
