package io.jobstream.core.trace;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;

/** Every service: the OpenTelemetry SDK exporting job attempts' spans over OTLP/HTTP, when an endpoint is configured. */
@AutoConfiguration
@EnableConfigurationProperties(TracingProperties.class)
public class OtlpTracingAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OtlpTracingAutoConfiguration.class);

    @Bean(destroyMethod = "close")
    public OtlpJobTracing otlpJobTracing(TracingProperties properties,
                                         @Value("${spring.application.name:jobstream}") String serviceName) {
        TracingProperties.Otlp otlp = properties.otlp();
        if (!otlp.enabled()) {
            log.info("Job tracing off: jobstream.tracing.otlp.endpoint is not set");
            return new OtlpJobTracing(null, () -> { });
        }
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
                .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
                                .setEndpoint(otlp.endpoint())
                                .setTimeout(otlp.timeout())
                                .build())
                        .setScheduleDelay(otlp.exportInterval())
                        .build())
                .build();
        log.info("Job tracing on: spans of job attempts go to {} as {}", otlp.endpoint(), serviceName);
        return new OtlpJobTracing(provider, JobTracing.install(OpenTelemetrySdk.builder().setTracerProvider(provider).build()));
    }

    /** The installed SDK: closing it stops recording and flushes the spans not yet sent. */
    public record OtlpJobTracing(SdkTracerProvider provider, TraceParent.Scope installed) implements AutoCloseable {

        @Override
        public void close() {
            installed.close();
            if (provider != null) {
                provider.close();
            }
        }
    }
}
