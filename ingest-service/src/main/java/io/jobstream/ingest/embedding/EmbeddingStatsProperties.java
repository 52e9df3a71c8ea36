package io.jobstream.ingest.embedding;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param model                 the model whose coverage the stats report, unless the request names one
 * @param reconciliationEnabled seed 000's scheduled "embed pending posts" job
 * @param reconciliationCron    Spring cron (six fields, or a macro such as {@code @hourly})
 * @param reconciliationBatch   posts per scheduled job
 * @param reconciliationSlot    the schedule's granularity: instances firing in the same slot add one job
 */
@ConfigurationProperties("jobstream.ingest.embedding")
public record EmbeddingStatsProperties(@DefaultValue("all-minilm-l6-v2-q") String model,
                                       @DefaultValue("true") boolean reconciliationEnabled,
                                       @DefaultValue("0 0 * * * *") String reconciliationCron,
                                       @DefaultValue("100") int reconciliationBatch,
                                       @DefaultValue("1m") Duration reconciliationSlot) {
}
