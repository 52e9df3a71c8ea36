package io.jobstream.curl;

import java.nio.file.Path;

import org.springframework.context.ConfigurableApplicationContext;

import io.jobstream.test.FreePorts;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.ServiceArguments;

/** One curl-processor in this JVM against the test's broker and database. */
public final class CurlProcessorInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private CurlProcessorInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static CurlProcessorInstance start(KafkaBrokerExtension kafka, PostgresExtension postgres, Path dataDir,
                                              String... extraArguments) {
        return new CurlProcessorInstance(CurlProcessorApplication.builder()
                .run(ServiceArguments.processor(FreePorts.next(), kafka, postgres, dataDir, extraArguments)));
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
