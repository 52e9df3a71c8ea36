package io.jobstream.agent;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

import io.jobstream.core.streams.StreamsProperties;

/** Agent chat jobs: an LLM agent with tools answers chat and batch-chat requests. */
@SpringBootApplication
@EnableConfigurationProperties(StreamsProperties.class)
public class AgentProcessorApplication {

    public static void main(String[] args) {
        SpringApplication.run(AgentProcessorApplication.class, args);
    }
}
