package io.jobstream.core.streams;

import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * A Kafka Streams application's metrics and its clients' (consumer lag among them) for Micrometer, without the
 * RocksDB state-store gauges. Reading those from the meter refresh thread while a rebalance closes the store
 * dereferences a freed native handle and kills the JVM (SIGSEGV in {@code rocksdb::DBImpl::GetIntProperty},
 * KAFKA-10025; the chaos run hit it). Micrometer's {@code KafkaStreamsMetrics} binds every metric of the
 * application and takes no filter, so its general (package-private) binder, {@code KafkaMetrics}, is given a
 * filtered view of the same metrics.
 */
final class StreamsMeters {

    /** Kafka Streams' group of state-store metrics, where RocksDB's property gauges live. */
    static final String STATE_STORE_GROUP = "stream-state-metrics";

    private static final String KAFKA_METRICS = "io.micrometer.core.instrument.binder.kafka.KafkaMetrics";

    private StreamsMeters() {
    }

    /** Binds the application's metrics to {@code registry}; closing what is returned removes them again. */
    static AutoCloseable bindTo(MeterRegistry registry, KafkaStreams streams, ScheduledExecutorService refresh,
                                Duration refreshInterval) {
        Supplier<Map<MetricName, ? extends Metric>> withoutStateStores = () -> withoutStateStores(streams.metrics());
        Object binder;
        try {
            // The constructor KafkaStreamsMetrics calls with streams::metrics.
            Constructor<?> constructor = Class.forName(KAFKA_METRICS).getDeclaredConstructor(Supplier.class,
                    Iterable.class, ScheduledExecutorService.class, Duration.class);
            constructor.setAccessible(true);
            binder = constructor.newInstance(withoutStateStores, List.<Tag>of(), refresh, refreshInterval);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Micrometer's " + KAFKA_METRICS + " cannot be built on filtered metrics", e);
        }
        ((MeterBinder) binder).bindTo(registry);
        return (AutoCloseable) binder;
    }

    static Map<MetricName, ? extends Metric> withoutStateStores(Map<MetricName, ? extends Metric> metrics) {
        return metrics.entrySet().stream()
                .filter(metric -> !STATE_STORE_GROUP.equals(metric.getKey().group()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
