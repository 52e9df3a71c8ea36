package io.jobstream.embedding;

import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.worker.QueueWorker;
import io.jobstream.embedding.job.EmbeddingJobHandler;
import io.jobstream.embedding.job.EmbeddingJobResult;
import io.jobstream.events.ContentIngested;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.events.EmbeddingStored;
import io.jobstream.store.Post;
import io.jobstream.store.PostRepository;
import io.jobstream.topics.TopicCatalog;

/**
 * The embedding processor:
 *
 * <pre>
 *   content.posts ─► queryable copy in PostgreSQL (content_posts)
 *
 *   embedding.requests ─► QueueWorker(EmbeddingJobHandler: micro-batched model calls, pgvector upserts)
 *                           ├─► embedding.stored   (one EmbeddingStored per entity job)
 *                           ├─► jobs.events        (QUEUED … COMPLETED, progress for batch jobs)
 *                           └─► embedding.requests.retry / .dlq
 * </pre>
 */
public final class EmbeddingTopology {

    private final PostRepository posts;
    private final EmbeddingJobHandler handler;
    private final QueueProperties.Queue queue;

    public EmbeddingTopology(PostRepository posts, EmbeddingJobHandler handler, QueueProperties.Queue queue) {
        this.posts = posts;
        this.handler = handler;
        this.queue = queue;
    }

    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();

        builder.stream(TopicCatalog.CONTENT_POSTS, Consumed.with(Serdes.String(), AvroSerde.of(ContentIngested.class)))
                .filter((postId, post) -> post != null)
                .foreach((postId, post) -> posts.upsert(List.of(toPost(post))));

        return QueueWorker.forQueue(TopicCatalog.EMBEDDING, AvroSerde.of(EmbeddingRequested.class), handler)
                .concurrency(queue.asyncStep())
                .retry(queue.retry().policy())
                .output(TopicCatalog.EMBEDDINGS_STORED, AvroSerde.of(EmbeddingStored.class).serializer(),
                        (job, request, result) -> result.stored() == null ? null
                                : KeyValue.pair(request.getEntityType() + ":" + request.getEntityId(), result.stored()))
                .returnValue(EmbeddingJobResult::returnValue)
                .build()
                .addTo(builder.build());
    }

    private static Post toPost(ContentIngested post) {
        return new Post(post.getPostId(), post.getUrl(), post.getTitle(), post.getText(), post.getAuthor(), post.getSource(),
                post.getPublishedAt(), post.getScrapedAt(), post.getIngestedAt(), post.getTextHash(), post.getMetadata());
    }
}
