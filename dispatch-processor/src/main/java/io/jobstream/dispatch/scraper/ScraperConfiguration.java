package io.jobstream.dispatch.scraper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobstream.core.queue.JobWorker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code scraper.runs} worker; {@code jobstream.scraper.worker.enabled=false} leaves the queue to other instances. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ScraperProperties.class)
@ConditionalOnBooleanProperty(name = "jobstream.scraper.worker.enabled", matchIfMissing = true)
public class ScraperConfiguration {

    public static final String QUEUE = "scraper.runs";

    @Bean
    JobWorker<JsonNode> scraperRunsWorker(ScraperProperties properties, JsonMapper json) {
        return JobWorker.json(QUEUE, new ScraperRun(properties, json));
    }
}
