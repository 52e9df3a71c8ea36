package io.jobstream.core.ratelimit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;

import io.jobstream.core.retry.JobDeferredException;

/**
 * Token buckets shared by every instance through Redis (Bucket4j's compare-and-swap on Lettuce),
 * so a provider's limit holds across the whole cluster. When Redis cannot be reached, each
 * instance falls back to a local bucket of the same size and reports itself degraded; Redis is
 * tried again after {@code redisRetryAfter}. Redis holds nothing but these tokens.
 */
public final class RateLimiter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
    private static final String KEY_PREFIX = "jobstream:rate-limit:";

    private final RateLimitProperties properties;
    private final RedisClient client;
    private final Map<String, Bucket> local = new ConcurrentHashMap<>();
    private volatile StatefulRedisConnection<byte[], byte[]> connection;
    private volatile ProxyManager<byte[]> shared;
    private volatile long redisRetryAtNanos;
    private volatile boolean degraded;

    public RateLimiter(RateLimitProperties properties) {
        this.properties = properties;
        if (properties.redisUrl().isBlank()) {
            this.client = null;
            this.degraded = false;
            return;
        }
        this.client = RedisClient.create(properties.redisUrl());
        // Fail fast while Redis is away instead of queueing commands: the local bucket takes over.
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(properties.redisTimeout()))
                .build());
    }

    /** Takes {@code tokens} from the named bucket if they are there; never waits. */
    public Permit tryAcquire(String bucketName, long tokens) {
        RateLimitProperties.Limit limit = properties.buckets().get(bucketName);
        if (limit == null) {
            return Permit.GRANTED;
        }
        ConsumptionProbe probe = consume(bucketName, limit, tokens);
        return probe.isConsumed() ? Permit.GRANTED : Permit.denied(probe.getNanosToWaitForRefill());
    }

    /**
     * Takes a job's token from the named bucket, or defers the job until the bucket refills: the
     * {@link JobDeferredException} puts it back on its retry topic without using an attempt.
     */
    public void takeForJob(String bucketName) {
        Permit permit = tryAcquire(bucketName, 1);
        if (!permit.granted()) {
            throw new JobDeferredException("no token in rate-limit bucket " + bucketName, permit.retryAfter());
        }
    }

    /** True while buckets are per instance only, because Redis is configured but unreachable. */
    public boolean degraded() {
        return degraded;
    }

    /** Whether Redis is configured at all; without it, per-instance buckets are the intended setup. */
    public boolean shared() {
        return client != null;
    }

    /** Connects to Redis if it is configured and not yet (or no longer) connected; for health checks. */
    public boolean redisReachable() {
        return sharedBuckets() != null;
    }

    private ConsumptionProbe consume(String name, RateLimitProperties.Limit limit, long tokens) {
        ProxyManager<byte[]> redis = sharedBuckets();
        if (redis != null) {
            try {
                return redis.builder().build((KEY_PREFIX + name).getBytes(UTF_8), () -> configuration(limit))
                        .tryConsumeAndReturnRemaining(tokens);
            } catch (RuntimeException unreachable) {
                markDegraded(unreachable);
            }
        }
        return local.computeIfAbsent(name, n -> Bucket.builder().addLimit(bandwidth(limit)).build())
                .tryConsumeAndReturnRemaining(tokens);
    }

    private ProxyManager<byte[]> sharedBuckets() {
        if (client == null || System.nanoTime() < redisRetryAtNanos) {
            return null;
        }
        if (shared != null) {
            return shared;
        }
        synchronized (this) {
            if (shared == null) {
                try {
                    connection = client.connect(ByteArrayCodec.INSTANCE);
                    shared = Bucket4jLettuce.casBasedBuilder(connection)
                            .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                            .build();
                    if (degraded) {
                        log.info("rate limits shared through Redis again");
                    }
                    degraded = false;
                } catch (RuntimeException unreachable) {
                    markDegraded(unreachable);
                    return null;
                }
            }
            return shared;
        }
    }

    private synchronized void markDegraded(RuntimeException cause) {
        if (!degraded) {
            log.warn("Redis unreachable, rate limits are per instance until it is back: {}", cause.toString());
        }
        degraded = true;
        redisRetryAtNanos = System.nanoTime() + properties.redisRetryAfter().toNanos();
        if (connection != null) {
            connection.closeAsync();
        }
        connection = null;
        shared = null;
    }

    private static BucketConfiguration configuration(RateLimitProperties.Limit limit) {
        return BucketConfiguration.builder().addLimit(bandwidth(limit)).build();
    }

    private static Bandwidth bandwidth(RateLimitProperties.Limit limit) {
        return Bandwidth.builder().capacity(limit.capacity()).refillIntervally(limit.capacity(), limit.period()).build();
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown();
        }
    }
}
