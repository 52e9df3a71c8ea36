package io.jobstream.core.database;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

/**
 * Database calls a stream processor makes on a record (a table copy, a lookup that derives jobs). When the
 * database is down (restarting, failing over) that is not the record's fault: the call is tried again until
 * the database answers, for up to {@link #PATIENCE}, and what still fails then fails the task (see
 * {@code DeadLetterProcessingHandler}), so the record is processed again instead of dead-lettered.
 */
public final class DatabaseOutages {

    /** Well below the consumer's max.poll.interval.ms (5 min): the stream thread must poll again before the group evicts it. */
    static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Duration FIRST_DELAY = Duration.ofMillis(250);
    private static final Duration MAX_DELAY = Duration.ofSeconds(5);
    /** SQLState classes of a database that cannot be reached: 08 connection exception, 57 operator intervention (shutdown). */
    private static final Set<String> OUTAGE_STATE_CLASSES = Set.of("08", "57");

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutages.class);
    private static final Counter WAITS = Counter.builder("jobstream.database.outage.retries")
            .description("Database calls of stream processors tried again because the database did not answer")
            .register(Metrics.globalRegistry);
    private static final RetryTemplate RETRY = retryTemplate();

    private DatabaseOutages() {
    }

    /**
     * The call's result, once the database answers; any other failure is thrown at once, and an outage that
     * outlasts {@link #PATIENCE} is thrown as its last failure.
     */
    public static <T> T waitOut(String what, Supplier<T> call) {
        try {
            return RETRY.execute(new Retryable<>() {
                @Override
                public T execute() {
                    return call.get();
                }

                @Override
                public String getName() {
                    return what;
                }
            });
        } catch (RetryException e) {
            throw e.getLastException() instanceof RuntimeException last ? last : new IllegalStateException(what, e);
        }
    }

    public static void waitOut(String what, Runnable call) {
        waitOut(what, () -> {
            call.run();
            return null;
        });
    }

    /** Whether the failure, or one of its causes, says the database could not be reached. */
    public static boolean isOutage(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException
                    || cause instanceof SQLNonTransientConnectionException || cause instanceof ConnectException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2
                    && OUTAGE_STATE_CLASSES.contains(sql.getSQLState().substring(0, 2))) {
                return true;
            }
        }
        return false;
    }

    private static RetryTemplate retryTemplate() {
        RetryTemplate template = new RetryTemplate(RetryPolicy.builder()
                .predicate(DatabaseOutages::isOutage)
                .maxRetries(Long.MAX_VALUE)
                .delay(FIRST_DELAY)
                .multiplier(2)
                .maxDelay(MAX_DELAY)
                .timeout(PATIENCE)
                .build());
        template.setRetryListener(new RetryListener() {
            @Override
            public void beforeRetry(RetryPolicy policy, Retryable<?> retryable, RetryState state) {
                WAITS.increment();
                log.warn("database unavailable, trying again call={} retry={} error={}", retryable.getName(),
                        state.getRetryCount(), String.valueOf(state.getLastException()));
            }
        });
        return template;
    }
}
