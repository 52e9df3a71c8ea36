package io.jobstream.document.ingestion;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.core.content.TextHash;
import io.jobstream.core.job.Job;
import io.jobstream.core.job.JobHandler;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.document.DocumentTextLoader;
import io.jobstream.document.text.TextChunks;
import io.jobstream.events.DocumentEntitiesExtracted;
import io.jobstream.events.DocumentIngested;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.jobs.DocumentJobs;
import io.jobstream.store.document.DocumentRepository;
import io.jobstream.store.document.IngestedDocument;
import io.jobstream.store.document.Mention;
import io.jobstream.topics.TopicCatalog;

/**
 * Step 4: the document, its entities and mentions into PostgreSQL (an idempotent replace by
 * document id), then one embedding job per chunk so the document becomes searchable. Chunk job ids
 * are deterministic ({@code document-chunk:{documentId}:{n}}): a re-run adds no duplicate while
 * the first is unfinished, and the embedding worker skips text it already embedded.
 */
public final class IngestionStep implements JobHandler<DocumentEntitiesExtracted, DocumentIngested> {

    private static final Logger log = LoggerFactory.getLogger(IngestionStep.class);
    private static final String STEP = DocumentJobs.INGESTION.eventStep();

    private final DocumentTextLoader texts;
    private final DocumentRepository documents;
    private final JobPublisher jobs;
    private final int chunkCharacters;

    public IngestionStep(DocumentTextLoader texts, DocumentRepository documents, JobPublisher jobs, int chunkCharacters) {
        this.texts = texts;
        this.documents = documents;
        this.jobs = jobs;
        this.chunkCharacters = chunkCharacters;
    }

    @Override
    public DocumentIngested handle(Job<DocumentEntitiesExtracted> job) {
        DocumentEntitiesExtracted document = job.data();
        String documentId = job.id();
        job.progress(0, STEP);
        String text = texts.load(document.getTextRef(), document.getFileName());
        List<String> chunks = TextChunks.split(text, chunkCharacters);
        List<Mention> mentions = document.getEntities().stream()
                .map(entity -> new Mention(entity.getType(), entity.getText(), entity.getStart(), entity.getEnd()))
                .toList();
        documents.ingest(new IngestedDocument(documentId, document.getFileName(), document.getMediaType(),
                document.getCharacters(), document.getLabel(), document.getScores().getOrDefault(document.getLabel(), 0.0),
                document.getScores(), chunks.size(), mentions, document.getClassificationProvider(), document.getProvider()));
        job.progress(50, STEP);
        jobs.submitAll(TopicCatalog.EMBEDDING, chunkJobs(documentId, document.getFileName(), chunks, job.metadata().traceId()));
        long entities = mentions.stream().map(m -> m.type() + "\u0000" + m.text()).distinct().count();
        log.info("document ingested jobId={} fileName={} label={} mentions={} entities={} chunks={}",
                documentId, document.getFileName(), document.getLabel(), mentions.size(), entities, chunks.size());
        return DocumentIngested.newBuilder()
                .setJobId(documentId)
                .setDocumentId(documentId)
                .setEntityCount((int) entities)
                .setChunkCount(chunks.size())
                .setIngestedAt(Instant.now())
                .build();
    }

    private static List<JobSubmission<EmbeddingRequested>> chunkJobs(String documentId, String fileName, List<String> chunks,
                                                                      String traceId) {
        List<JobSubmission<EmbeddingRequested>> submissions = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            String entityId = documentId + ":" + i;
            String jobId = DocumentJobs.CHUNK_ENTITY_TYPE + ":" + entityId;
            EmbeddingRequested request = EmbeddingRequested.newBuilder()
                    .setJobId(jobId)
                    .setEntityType(DocumentJobs.CHUNK_ENTITY_TYPE)
                    .setEntityId(entityId)
                    .setText(chunks.get(i))
                    .setTextHash(TextHash.of(chunks.get(i)))
                    .setTriggeredBy("document:" + documentId)
                    .setMetadata(Map.of("documentId", documentId, "fileName", fileName, "chunk", Integer.toString(i)))
                    .build();
            submissions.add(new JobSubmission<>(jobId, DocumentJobs.CHUNK_EMBEDDING_JOB_TYPE, jobId,
                    request, null, null, null, traceId, documentId, null));
        }
        return submissions;
    }
}
