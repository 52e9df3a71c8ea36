package io.jobstream.chaos;

import io.jobstream.topics.TopicCatalog;

/** What the workload submits, and where each kind's one output per job is counted. */
enum JobKind {
    POST(TopicCatalog.EMBEDDINGS_STORED),
    GENERIC(TopicCatalog.EMBEDDINGS_STORED),
    TICK(TopicCatalog.EMBEDDINGS_STORED),
    CHAT(TopicCatalog.CHAT_RESPONSES),
    /** A batch's parent job: its output is its children's answers. */
    BATCH(null),
    DOCUMENT(TopicCatalog.DOCUMENTS_INGESTED),
    /** Its output is a delivery to the reminder receiver. */
    REMINDER(null),
    /** A product's embedding, derived by catalog-processor from the products topic. */
    PRODUCT_EMBEDDING(TopicCatalog.EMBEDDINGS_STORED),
    /** A product's enrichment (catalog-processor, offline): its output is its product_enrichments row. */
    ENRICHMENT(null);

    final String outputTopic;

    JobKind(String outputTopic) {
        this.outputTopic = outputTopic;
    }
}
