package io.jobstream.agent;

import java.util.List;

import javax.sql.DataSource;

import org.apache.kafka.streams.Topology;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobstream.agent.chat.ChatJobHandler;
import io.jobstream.agent.session.SessionHistory;
import io.jobstream.agent.tools.CalculatorTool;
import io.jobstream.agent.tools.SearchKnowledgeTool;
import io.jobstream.ai.chat.ChatProperties;
import io.jobstream.ai.chat.ChatProvider;
import io.jobstream.ai.chat.ChatProviders;
import io.jobstream.ai.embedding.EmbeddingProperties;
import io.jobstream.ai.embedding.EmbeddingProvider;
import io.jobstream.ai.embedding.EmbeddingProviders;
import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.ratelimit.RateLimitProperties;
import io.jobstream.core.ratelimit.RateLimiter;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.store.EmbeddingRepository;
import io.jobstream.topics.TopicCatalog;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ChatProperties.class, EmbeddingProperties.class, AgentProcessorProperties.class,
        RateLimitProperties.class})
public class AgentProcessorConfiguration {

    @Bean(destroyMethod = "close")
    public ChatProvider chatProvider(ChatProperties properties) {
        return ChatProviders.create(properties);
    }

    /** Embeds search queries with the model the embedding processor stores vectors of (same settings). */
    @Bean(destroyMethod = "close")
    public EmbeddingProvider queryEmbeddings(EmbeddingProperties properties) {
        return EmbeddingProviders.create(properties);
    }

    @Bean
    public EmbeddingRepository embeddingRepository(DataSource dataSource) {
        return new EmbeddingRepository(dataSource);
    }

    @Bean(destroyMethod = "close")
    public RateLimiter rateLimiter(RateLimitProperties properties) {
        return new RateLimiter(properties);
    }

    /** The store is read through Kafka Streams, which starts after the topology is built. */
    @Bean
    public SessionHistory sessionHistory(ObjectProvider<ManagedStreams> streams) {
        return new SessionHistory(() -> streams.getObject().streams());
    }

    @Bean
    public ChatJobHandler chatJobHandler(ChatProvider provider, EmbeddingProvider queryEmbeddings, EmbeddingRepository embeddings,
                                         SessionHistory sessions, RateLimiter limiter, ChatProperties chat,
                                         AgentProcessorProperties agent) {
        return new ChatJobHandler(provider,
                List.of(new SearchKnowledgeTool(queryEmbeddings, embeddings, agent.searchResults()), new CalculatorTool()),
                sessions, limiter, agent.rateLimitBucket(), chat.instructions(), agent.historyTurns());
    }

    @Bean
    public Topology agentTopology(ChatJobHandler handler, QueueProperties queues, AgentProcessorProperties agent) {
        return new AgentTopology(handler, queues.queue(TopicCatalog.AGENT_CHAT.queue()), agent.historyTurns()).build();
    }
}
