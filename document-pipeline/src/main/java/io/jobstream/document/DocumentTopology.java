package io.jobstream.document;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.queue.JobPayloads;
import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.job.JobHandler;
import io.jobstream.core.job.JobMetadata;
import io.jobstream.core.worker.QueueWorker;
import io.jobstream.document.classification.ClassificationStep;
import io.jobstream.document.extraction.ExtractionStep;
import io.jobstream.document.ingestion.IngestionStep;
import io.jobstream.document.ner.NerStep;
import io.jobstream.events.DocumentClassified;
import io.jobstream.events.DocumentEntitiesExtracted;
import io.jobstream.events.DocumentExtracted;
import io.jobstream.events.DocumentIngested;
import io.jobstream.events.DocumentSubmitted;
import io.jobstream.jobs.DocumentJobs;
import io.jobstream.topics.QueueTopics;
import io.jobstream.topics.TopicCatalog;

/**
 * The document pipeline: four queues, one worker (two sub-topologies: the step and its retry timer)
 * each. A step's result is the next queue's job, under the same job id, so the document is one job
 * on jobs.events whose PROGRESS events name the step they come from.
 *
 * <pre>
 *   document.extraction.requests     ─► Tika: upload (claim check) → text in PostgreSQL
 *   document.classification.requests ─► zero-shot: document vs. label descriptions
 *   document.ner.requests            ─► CRF named entities with offsets
 *   document.ingestion.requests      ─► documents/entities/mentions rows, chunk embedding jobs ─► document.ingested + COMPLETED
 *
 *   every step ─► jobs.events (ACTIVE, PROGRESS with the step, …), its own .retry (back-off) and .dlq
 * </pre>
 */
public final class DocumentTopology {

    private final ExtractionStep extraction;
    private final ClassificationStep classification;
    private final NerStep ner;
    private final IngestionStep ingestion;
    private final QueueProperties queues;

    public DocumentTopology(ExtractionStep extraction, ClassificationStep classification, NerStep ner, IngestionStep ingestion,
                            QueueProperties queues) {
        this.extraction = extraction;
        this.classification = classification;
        this.ner = ner;
        this.ingestion = ingestion;
        this.queues = queues;
    }

    public Topology build() {
        Topology topology = new Topology();

        worker(DocumentJobs.EXTRACTION, JobPayloads.avro(DocumentSubmitted.class), extraction)
                .intermediateStep()
                .output(DocumentJobs.CLASSIFICATION.queue().requests(), serializer(DocumentExtracted.class), DocumentTopology::nextStep)
                .build()
                .addTo(topology);

        worker(DocumentJobs.CLASSIFICATION, JobPayloads.avro(DocumentExtracted.class), classification)
                .intermediateStep()
                .output(DocumentJobs.NER.queue().requests(), serializer(DocumentClassified.class), DocumentTopology::nextStep)
                .build()
                .addTo(topology);

        worker(DocumentJobs.NER, JobPayloads.avro(DocumentClassified.class), ner)
                .intermediateStep()
                .output(DocumentJobs.INGESTION.queue().requests(), serializer(DocumentEntitiesExtracted.class), DocumentTopology::nextStep)
                .build()
                .addTo(topology);

        worker(DocumentJobs.INGESTION, JobPayloads.avro(DocumentEntitiesExtracted.class), ingestion)
                .output(TopicCatalog.DOCUMENTS_INGESTED, serializer(DocumentIngested.class), DocumentTopology::nextStep)
                .build()
                .addTo(topology);

        return topology;
    }

    private <V, R> QueueWorker.Builder<V, R, Void> worker(DocumentJobs.Step step, Serde<V> values, JobHandler<V, R> handler) {
        QueueTopics queue = step.queue();
        QueueProperties.Queue settings = queues.queue(queue.queue());
        return QueueWorker.forQueue(queue, values, handler)
                .concurrency(settings.asyncStep())
                .retry(settings.retry().policy());
    }

    private static <V, R> KeyValue<String, R> nextStep(JobMetadata job, V input, R result) {
        return KeyValue.pair(job.jobId(), result);
    }

    private static <T extends SpecificRecord> Serializer<T> serializer(Class<T> type) {
        return AvroSerde.of(type).serializer();
    }
}
