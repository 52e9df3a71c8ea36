package io.jobstream.agent;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param rateLimitBucket the token bucket every chat job takes one token from (configure it under
 *                        {@code jobstream.rate-limits.buckets}; unconfigured means unlimited)
 * @param historyTurns    turns (user and assistant messages) kept per session and sent to the model
 * @param searchResults   passages {@code search_knowledge} returns unless the model asks for another number
 */
@ConfigurationProperties("jobstream.agent")
public record AgentProcessorProperties(@DefaultValue("agent-chat") String rateLimitBucket,
                                       @DefaultValue("20") int historyTurns,
                                       @DefaultValue("3") int searchResults) {

    public AgentProcessorProperties {
        if (historyTurns < 2 || searchResults < 1) {
            throw new IllegalArgumentException("need history-turns >= 2 and search-results >= 1, got "
                    + historyTurns + "/" + searchResults);
        }
    }
}
