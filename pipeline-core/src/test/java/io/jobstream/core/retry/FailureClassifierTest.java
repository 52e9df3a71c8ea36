package io.jobstream.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    private static final FailureClassifier DEFAULT = FailureClassifier.DEFAULT;

    @Test
    void transientJobExceptionRetriesAfterTheProvidersDelay() {
        TransientJobException rateLimited = new TransientJobException("429", Duration.ofSeconds(7), null);

        Failure failure = DEFAULT.classify(rateLimited);

        assertThat(failure.transientError()).isTrue();
        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(failure.error()).isSameAs(rateLimited);
    }

    @Test
    void transientJobExceptionWithoutDelayLeavesItToTheBackoff() {
        Failure failure = DEFAULT.classify(new TransientJobException("503"));

        assertThat(failure.transientError()).isTrue();
        assertThat(failure.retryAfter()).isEmpty();
    }

    @Test
    void permanentFailuresAreNotRetried() {
        assertPermanent(new PermanentJobException("400"));
        assertPermanent(new IllegalArgumentException("no such model"));
        assertPermanent(new SerializationException("poison"));
    }

    @Test
    void timeoutsIoAndUnknownFailuresAreRetried() {
        assertTransient(new TimeoutException("slow"));
        assertTransient(new IOException("reset"));
        assertTransient(new IllegalStateException("unknown"));
    }

    @Test
    void wrappersOfAsynchronousCallsAreUnwrapped() {
        PermanentJobException cause = new PermanentJobException("400");
        Throwable wrapped = new CompletionException(new ExecutionException(cause));

        Failure failure = DEFAULT.classify(wrapped);

        assertThat(failure.transientError()).isFalse();
        assertThat(failure.error()).isSameAs(cause);
        assertThat(FailureClassifier.unwrap(wrapped)).isSameAs(cause);
    }

    @Test
    void aWrapperWithoutCauseIsItself() {
        CompletionException empty = new CompletionException("no cause", null);

        assertThat(FailureClassifier.unwrap(empty)).isSameAs(empty);
    }

    @Test
    void orElseAsksTheNextClassifierOnlyWhenTheFirstHasNoOpinion() {
        FailureClassifier provider = error -> error instanceof IllegalStateException quota
                ? Failure.permanent(quota)
                : null;
        FailureClassifier chained = provider.orElse(DEFAULT);

        assertThat(chained.classify(new IllegalStateException("quota exhausted")).transientError()).isFalse();
        assertThat(chained.classify(new IOException("reset")).transientError()).isTrue();
        assertThat(chained.classify(new PermanentJobException("400")).transientError()).isFalse();
    }

    private static void assertPermanent(Throwable error) {
        Failure failure = DEFAULT.classify(error);
        assertThat(failure.transientError()).as("%s is permanent", error).isFalse();
        assertThat(failure.retryAfter()).isEqualTo(Optional.empty());
        assertThat(failure.error()).isSameAs(error);
    }

    private static void assertTransient(Throwable error) {
        Failure failure = DEFAULT.classify(error);
        assertThat(failure.transientError()).as("%s is transient", error).isTrue();
        assertThat(failure.error()).isSameAs(error);
    }
}
