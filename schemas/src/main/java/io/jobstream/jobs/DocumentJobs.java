package io.jobstream.jobs;

import java.util.List;
import java.util.Optional;

import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;

/**
 * The document job's contract between ingest-service (which submits it and shows its steps) and
 * document-pipeline (which runs them): one job id goes through four queues in order, and every
 * PROGRESS event names the step it belongs to by its queue name.
 */
public final class DocumentJobs {

    public static final String JOB_TYPE = "document";
    /** Job type of the embedding jobs a document's chunks become. */
    public static final String CHUNK_EMBEDDING_JOB_TYPE = "document-chunk-embedding";
    /** Entity type of a document chunk in the embeddings table and in semantic search. */
    public static final String CHUNK_ENTITY_TYPE = "document-chunk";

    public static final Step EXTRACTION = new Step("extraction", TopicCatalog.DOCUMENT_EXTRACTION);
    public static final Step CLASSIFICATION = new Step("classification", TopicCatalog.DOCUMENT_CLASSIFICATION);
    public static final Step NER = new Step("ner", TopicCatalog.DOCUMENT_NER);
    public static final Step INGESTION = new Step("ingestion", TopicCatalog.DOCUMENT_INGESTION);

    /** In the order a document goes through them. */
    public static final List<Step> STEPS = List.of(EXTRACTION, CLASSIFICATION, NER, INGESTION);

    private DocumentJobs() {
    }

    /** The step whose events carry {@code eventStep}, if it is one of the document steps. */
    public static Optional<Step> stepOf(String eventStep) {
        return STEPS.stream().filter(step -> step.eventStep().equals(eventStep)).findFirst();
    }

    /**
     * @param name  the key of the step in the status API
     * @param queue the queue that runs it
     */
    public record Step(String name, QueueTopics queue) {

        /** The {@code step} of this step's PROGRESS events: its queue name. */
        public String eventStep() {
            return queue.queue();
        }

        public int index() {
            return STEPS.indexOf(this);
        }
    }
}
