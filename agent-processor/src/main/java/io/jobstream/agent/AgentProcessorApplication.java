package io.jobstream.agent;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Agent chat jobs: an LLM agent with tools answers chat and batch-chat requests. */
@SpringBootApplication
public class AgentProcessorApplication {

    public static void main(String[] args) {
        SpringApplication.run(AgentProcessorApplication.class, args);
    }
}
