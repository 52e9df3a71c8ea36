package io.jobstream.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Every topic jobstream uses: the only place topic names are written.
 * Services ask the catalog for names and create what they use with {@link TopicProvisioner}.
 */
public final class TopicCatalog {

    public static final int DEFAULT_PARTITIONS = 6;

    /** Undeserializable records from topics that are not a queue's (a queue has its own dead-letter topic). */
    public static final String JOBS_DEAD_LETTERS = "jobs.dlq";
    /** Every job state change, keyed by job id. */
    public static final String JOB_EVENTS = "jobs.events";
    /**
     * Pause, resume and cancel commands, read by every processor instance. Compacted, keyed by what a
     * command acts on, so the latest pause or resume of each queue is kept for as long as it holds.
     */
    public static final String JOB_CONTROL = "jobs.control";
    /** Job schedulers (BullMQ's upsertJobScheduler), compacted by scheduler id. */
    public static final String JOB_SCHEDULES = "jobs.schedules";
    /** Lines handlers log for their jobs (BullMQ's job.log), keyed by job id like jobs.events. */
    public static final String JOB_LOGS = "jobs.logs";
    /** Scraped posts, compacted by post id: the source of truth that replays re-embed. */
    public static final String CONTENT_POSTS = "content.posts";
    /** Seed 004's product catalog, compacted by product id: the source of truth of the products table. */
    public static final String PRODUCTS = "products";
    /** Embeddings written to pgvector. */
    public static final String EMBEDDINGS_STORED = "embedding.stored";
    /** Finished chat answers. */
    public static final String CHAT_RESPONSES = "agent.chat.responses";
    /** The document pipeline's final step output. */
    public static final String DOCUMENTS_INGESTED = "document.ingested";

    public static final QueueTopics EMBEDDING = queue("embedding");
    public static final QueueTopics AGENT_CHAT = queue("agent.chat");
    public static final QueueTopics DOCUMENT_EXTRACTION = queue("document.extraction");
    public static final QueueTopics DOCUMENT_CLASSIFICATION = queue("document.classification");
    public static final QueueTopics DOCUMENT_NER = queue("document.ner");
    public static final QueueTopics DOCUMENT_INGESTION = queue("document.ingestion");
    public static final QueueTopics PRODUCT_ENRICHMENT = queue("product-enrichment");
    public static final QueueTopics CURATED_COLLECTIONS = queue("curated-collections");

    /** The built-in queues (their declarations: pipeline-core's {@code jobstream-queues.yml}). */
    public static final List<QueueTopics> QUEUES = List.of(
            EMBEDDING, AGENT_CHAT,
            DOCUMENT_EXTRACTION, DOCUMENT_CLASSIFICATION, DOCUMENT_NER, DOCUMENT_INGESTION,
            PRODUCT_ENRICHMENT, CURATED_COLLECTIONS);

    private TopicCatalog() {
    }

    public static QueueTopics queue(String name) {
        return new QueueTopics(name, DEFAULT_PARTITIONS);
    }

    /**
     * The queue a topic belongs to, for any of its three topics, by their names alone: so a
     * dead-letter handler, which is configured by class name, knows every declared queue.
     */
    public static Optional<QueueTopics> queueOfTopic(String topic) {
        for (String suffix : List.of(QueueTopics.REQUESTS_SUFFIX, QueueTopics.RETRY_SUFFIX, QueueTopics.DEAD_LETTERS_SUFFIX)) {
            if (topic.endsWith(suffix) && topic.length() > suffix.length()) {
                return Optional.of(queue(topic.substring(0, topic.length() - suffix.length())));
            }
        }
        return Optional.empty();
    }

    /** Where an unreadable record from {@code topic} goes: its queue's dead-letter topic, else the shared one. */
    public static String deadLetterTopicFor(String topic) {
        return queueOfTopic(topic).map(QueueTopics::deadLetters).orElse(JOBS_DEAD_LETTERS);
    }

    public static List<TopicSpec> sharedTopics() {
        return List.of(
                TopicSpec.deleting(JOB_EVENTS, DEFAULT_PARTITIONS, Duration.ofDays(7)),
                TopicSpec.deleting(JOBS_DEAD_LETTERS, 1, Duration.ofDays(30)),
                TopicSpec.compacted(JOB_CONTROL, 1),
                TopicSpec.compacted(JOB_SCHEDULES, DEFAULT_PARTITIONS),
                TopicSpec.deleting(JOB_LOGS, DEFAULT_PARTITIONS, Duration.ofDays(7)),
                TopicSpec.compacted(CONTENT_POSTS, DEFAULT_PARTITIONS),
                TopicSpec.compacted(PRODUCTS, DEFAULT_PARTITIONS),
                TopicSpec.deleting(EMBEDDINGS_STORED, DEFAULT_PARTITIONS, Duration.ofDays(7)),
                TopicSpec.deleting(CHAT_RESPONSES, DEFAULT_PARTITIONS, Duration.ofDays(7)),
                TopicSpec.deleting(DOCUMENTS_INGESTED, DEFAULT_PARTITIONS, Duration.ofDays(7)));
    }

    /** The shared topics and the built-in queues' topics. */
    public static List<TopicSpec> all() {
        return all(QUEUES);
    }

    /** The whole catalog of a deployment, as created at start-up: the shared topics and the declared queues' topics. */
    public static List<TopicSpec> all(Collection<QueueTopics> declaredQueues) {
        List<TopicSpec> all = new ArrayList<>(sharedTopics());
        declaredQueues.forEach(q -> all.addAll(q.specs()));
        return List.copyOf(all);
    }
}
