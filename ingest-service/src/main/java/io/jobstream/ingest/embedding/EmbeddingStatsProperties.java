package io.jobstream.ingest.embedding;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param model the model whose coverage the stats report, unless the request names one
 */
@ConfigurationProperties("jobstream.ingest.embedding")
public record EmbeddingStatsProperties(@DefaultValue("all-minilm-l6-v2-q") String model) {
}
