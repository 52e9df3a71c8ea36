package io.jobstream.embedding;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.queue.JobPayloads;
import io.jobstream.core.worker.QueueWorker;
import io.jobstream.embedding.content.PostEmbeddingJobs;
import io.jobstream.embedding.job.EmbeddingJobHandler;
import io.jobstream.embedding.job.EmbeddingJobResult;
import io.jobstream.events.ContentIngested;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.events.EmbeddingStored;
import io.jobstream.events.JobEvent;
import io.jobstream.topics.TopicCatalog;

/**
 * The embedding processor:
 *
 * <pre>
 *   content.posts ─► PostEmbeddingJobs (store: post id → text hash of the last job derived)
 *                      ├─► embedding.requests (a new post's or a changed text's job)
 *                      └─► jobs.events        (its QUEUED event)
 *   embedding.requests ─► QueueWorker(EmbeddingJobHandler: micro-batched model calls, pgvector upserts)
 *                           ├─► embedding.stored   (one EmbeddingStored per entity job)
 *                           ├─► jobs.events        (QUEUED … COMPLETED, progress for batch jobs)
 *                           └─► embedding.requests.retry / .dlq
 * </pre>
 *
 * <p>Every post's job is derived from content.posts, so the webhook and an external producer take
 * the same path. The queryable copy of content.posts in PostgreSQL is kept by {@code PostTableCopy},
 * a batch per poll.
 */
public final class EmbeddingTopology {

    private static final String POSTS = "content-posts";
    private static final String DERIVE = "post-embedding-derive";

    private final EmbeddingJobHandler handler;
    private final QueueProperties.Queue queue;

    public EmbeddingTopology(EmbeddingJobHandler handler, QueueProperties.Queue queue) {
        this.handler = handler;
        this.queue = queue;
    }

    public Topology build() {
        Topology topology = QueueWorker.forQueue(TopicCatalog.EMBEDDING, JobPayloads.avro(EmbeddingRequested.class), handler)
                .concurrency(queue.asyncStep())
                .retry(queue.retry().policy())
                .output(TopicCatalog.EMBEDDINGS_STORED, AvroSerde.of(EmbeddingStored.class).serializer(),
                        (job, request, result) -> result.stored() == null ? null
                                : KeyValue.pair(request.getEntityType() + ":" + request.getEntityId(), result.stored()))
                .returnValue(EmbeddingJobResult::returnValue)
                .build()
                .addTo(new Topology());

        // Added after the worker, so the worker's sub-topologies keep their numbers (and task ids) on an upgrade.
        int maxAttempts = queue.retry().policy().attempts();
        return topology.addSource(POSTS, new StringDeserializer(), AvroSerde.of(ContentIngested.class).deserializer(),
                        TopicCatalog.CONTENT_POSTS)
                .addProcessor(DERIVE, () -> new PostEmbeddingJobs(maxAttempts), POSTS)
                .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PostEmbeddingJobs.STORE),
                        Serdes.String(), Serdes.String()), DERIVE)
                .addSink(PostEmbeddingJobs.JOBS, TopicCatalog.EMBEDDING.requests(), new StringSerializer(),
                        AvroSerde.of(EmbeddingRequested.class).serializer(), DERIVE)
                .addSink(PostEmbeddingJobs.EVENTS, TopicCatalog.JOB_EVENTS, new StringSerializer(),
                        AvroSerde.of(JobEvent.class).serializer(), DERIVE);
    }
}
