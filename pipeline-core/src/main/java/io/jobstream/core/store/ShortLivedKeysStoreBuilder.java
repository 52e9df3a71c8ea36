package io.jobstream.core.store;

import java.util.Map;

import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A cached, changelogged key-value store for keys that mostly live shorter than a commit interval, such
 * as a worker's unfinished jobs: a key put and deleted between two commits never reaches the store or its
 * changelog, so a job that finishes within one commit costs no changelog record.
 *
 * <p>Kafka Streams' cache drops such a put-then-delete only while a flush listener is registered (it then
 * checks the store below for the key before writing a tombstone); the Processor API registers none. This
 * builder registers one that ignores what it is told: the byte-level cache layer is reached through
 * Kafka Streams' internal wrappers, and a store built without that layer fails here rather than silently
 * writing tombstones again.
 */
public final class ShortLivedKeysStoreBuilder<K, V> implements StoreBuilder<KeyValueStore<K, V>> {

    private final StoreBuilder<KeyValueStore<K, V>> delegate;

    private ShortLivedKeysStoreBuilder(StoreBuilder<KeyValueStore<K, V>> delegate) {
        this.delegate = delegate;
    }

    public static <K, V> ShortLivedKeysStoreBuilder<K, V> of(StoreBuilder<KeyValueStore<K, V>> builder) {
        builder.withCachingEnabled();
        return new ShortLivedKeysStoreBuilder<>(builder);
    }

    @Override
    public KeyValueStore<K, V> build() {
        KeyValueStore<K, V> store = delegate.build();
        if (!(store instanceof WrappedStateStore<?, ?, ?> metered)
                || !(metered.wrapped() instanceof CachedStateStore<?, ?> cache)
                || !ignoreFlushes(cache)) {
            throw new IllegalStateException("store " + name() + " has no cache layer to drop short-lived keys in");
        }
        return store;
    }

    @SuppressWarnings("unchecked")
    private static boolean ignoreFlushes(CachedStateStore<?, ?> cache) {
        return ((CachedStateStore<Object, Object>) cache).setFlushListener(flushed -> { }, false);
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
        throw new UnsupportedOperationException("short-lived keys are dropped in the cache, which this store needs");
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(Map<String, String> config) {
        delegate.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
        delegate.withLoggingDisabled();
        return this;
    }

    @Override
    public Map<String, String> logConfig() {
        return delegate.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return delegate.loggingEnabled();
    }

    @Override
    public String name() {
        return delegate.name();
    }
}
