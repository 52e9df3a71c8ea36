package io.jobstream.embedding;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.worker.QueueWorker;
import io.jobstream.embedding.job.EmbeddingJobHandler;
import io.jobstream.embedding.job.EmbeddingJobResult;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.events.EmbeddingStored;
import io.jobstream.topics.TopicCatalog;

/**
 * The embedding processor:
 *
 * <pre>
 *   embedding.requests ─► QueueWorker(EmbeddingJobHandler: micro-batched model calls, pgvector upserts)
 *                           ├─► embedding.stored   (one EmbeddingStored per entity job)
 *                           ├─► jobs.events        (QUEUED … COMPLETED, progress for batch jobs)
 *                           └─► embedding.requests.retry / .dlq
 * </pre>
 *
 * <p>The queryable copy of content.posts in PostgreSQL is kept by {@code PostTableCopy}, a batch per poll.
 */
public final class EmbeddingTopology {

    private final EmbeddingJobHandler handler;
    private final QueueProperties.Queue queue;

    public EmbeddingTopology(EmbeddingJobHandler handler, QueueProperties.Queue queue) {
        this.handler = handler;
        this.queue = queue;
    }

    public Topology build() {
        return QueueWorker.forQueue(TopicCatalog.EMBEDDING, AvroSerde.of(EmbeddingRequested.class), handler)
                .concurrency(queue.asyncStep())
                .retry(queue.retry().policy())
                .output(TopicCatalog.EMBEDDINGS_STORED, AvroSerde.of(EmbeddingStored.class).serializer(),
                        (job, request, result) -> result.stored() == null ? null
                                : KeyValue.pair(request.getEntityType() + ":" + request.getEntityId(), result.stored()))
                .returnValue(EmbeddingJobResult::returnValue)
                .build()
                .addTo(new Topology());
    }
}
