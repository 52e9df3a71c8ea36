package io.jobstream.embedding;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.apache.kafka.streams.Topology;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobstream.ai.embedding.EmbeddingBatcher;
import io.jobstream.ai.embedding.EmbeddingProperties;
import io.jobstream.ai.embedding.EmbeddingProvider;
import io.jobstream.ai.embedding.EmbeddingProviders;
import io.jobstream.ai.embedding.LocalMiniLmEmbeddings;
import io.jobstream.ai.embedding.OpenAiEmbeddings;
import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.ratelimit.RateLimitProperties;
import io.jobstream.core.ratelimit.RateLimiter;
import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.embedding.content.PostTableCopy;
import io.jobstream.embedding.job.EmbeddingJobHandler;
import io.jobstream.embedding.model.EmbeddingModels;
import io.jobstream.store.EmbeddingRepository;
import io.jobstream.store.PostRepository;
import io.jobstream.topics.TopicCatalog;
import io.micrometer.observation.ObservationRegistry;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({EmbeddingProperties.class, EmbeddingProcessorProperties.class, RateLimitProperties.class})
public class EmbeddingProcessorConfiguration {

    @Bean
    public PostRepository postRepository(DataSource dataSource) {
        return new PostRepository(dataSource);
    }

    @Bean
    public EmbeddingRepository embeddingRepository(DataSource dataSource) {
        return new EmbeddingRepository(dataSource);
    }

    /**
     * The configured provider is the default; the bundled local model is always served too (it needs
     * nothing), and OpenAI whenever a key is set, so backfills can move between them.
     */
    @Bean(destroyMethod = "close")
    public EmbeddingModels embeddingModels(EmbeddingProperties properties) {
        EmbeddingProvider primary = EmbeddingProviders.create(properties);
        List<EmbeddingBatcher> others = new ArrayList<>();
        if (!(primary instanceof LocalMiniLmEmbeddings)) {
            others.add(new EmbeddingBatcher(new LocalMiniLmEmbeddings(properties.local().parallelism()), properties.batch()));
        }
        boolean openAiKey = properties.openai().apiKey() != null && !properties.openai().apiKey().isBlank();
        if (openAiKey && !(primary instanceof OpenAiEmbeddings)) {
            others.add(new EmbeddingBatcher(new OpenAiEmbeddings(properties.openai()), properties.batch()));
        }
        return new EmbeddingModels(new EmbeddingBatcher(primary, properties.batch()), others);
    }

    @Bean(destroyMethod = "close")
    public RateLimiter rateLimiter(RateLimitProperties properties) {
        return new RateLimiter(properties);
    }

    @Bean
    public EmbeddingJobHandler embeddingJobHandler(EmbeddingModels models, EmbeddingRepository embeddings,
                                                   PostRepository posts, RateLimiter limiter,
                                                   EmbeddingProcessorProperties properties, EmbeddingProperties embedding,
                                                   StreamsProperties streams) {
        return new EmbeddingJobHandler(models, embeddings, posts, limiter, properties.rateLimitBucket(), embedding.batch(),
                streams.bootstrapServers());
    }

    @Bean
    public Topology embeddingTopology(EmbeddingJobHandler handler, QueueProperties queues) {
        return new EmbeddingTopology(handler, queues.queue(TopicCatalog.EMBEDDING.queue())).build();
    }

    @Bean
    public PostTableCopy postTableCopy(PostRepository posts, StreamsProperties streams,
                                       ObjectProvider<ObservationRegistry> observations) {
        return new PostTableCopy(posts, streams.bootstrapServers(), streams.applicationId() + "-post-table-copy",
                observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }
}
