package io.jobstream.chaos;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.jobstream.test.openai.FakeOpenAiServer.Reply;

/** One fault of the run: what it breaks, how it ends, and which jobs show that the stack serves again. */
sealed interface Fault {

    String name();

    /** Breaks it and ends it (restarts what it killed, brings back what it stopped); blocks meanwhile. */
    void inject(Stack stack);

    /** The jobs submitted as the fault ends, by kind, whose completion marks the stack serving again. */
    List<JobKind> probes();

    /** The instance that must be processing again before the stack counts as recovered, if any. */
    default Instance restarted() {
        return null;
    }

    /** kill -9 of one service instance, restarted at once as a supervisor would. */
    record KillInstance(Instance instance) implements Fault {
        public String name() {
            return "kill -9 " + instance.name();
        }

        public void inject(Stack stack) {
            instance.killAndRestart();
        }

        /**
         * Jobs of the kind it works, submitted while it starts again: with two instances, each job's partition has
         * an even chance of being one the killed instance held, so one of eight misses them all once in 256 kills.
         */
        private static final int PROBES = 8;

        public List<JobKind> probes() {
            return Collections.nCopies(PROBES, switch (instance.kind()) {
                case INGEST -> JobKind.POST;
                case EMBEDDING -> JobKind.GENERIC;
                case AGENT -> JobKind.CHAT;
                case DOCUMENT -> JobKind.DOCUMENT;
                case DISPATCH -> JobKind.REMINDER;
                case CATALOG -> JobKind.ENRICHMENT;
            });
        }

        @Override
        public Instance restarted() {
            return instance;
        }
    }

    /** kill -9 of the broker, restarted on its storage. */
    record KillBroker() implements Fault {
        public String name() {
            return "kill -9 kafka broker";
        }

        public void inject(Stack stack) {
            stack.broker.kill();
            stack.broker.restart();
        }

        public List<JobKind> probes() {
            return List.of(JobKind.GENERIC, JobKind.CHAT, JobKind.DOCUMENT, JobKind.REMINDER, JobKind.ENRICHMENT);
        }
    }

    /** PostgreSQL shut down for a while, then started on the same port and data. */
    record StopPostgres(Duration outage) implements Fault {
        public String name() {
            return "postgresql stopped " + outage.toSeconds() + " s";
        }

        public void inject(Stack stack) {
            stack.postgres.close();
            sleep(outage);
            stack.postgres.restart();
        }

        public List<JobKind> probes() {
            return List.of(JobKind.GENERIC, JobKind.DOCUMENT, JobKind.REMINDER, JobKind.ENRICHMENT);
        }
    }

    /** Redis (the rate-limit buckets) shut down for a while, then started again, empty. */
    record StopRedis(Duration outage) implements Fault {
        public String name() {
            return "redis stopped " + outage.toSeconds() + " s";
        }

        public void inject(Stack stack) {
            stack.redis.close();
            sleep(outage);
            stack.redis.restart();
        }

        public List<JobKind> probes() {
            return List.of(JobKind.GENERIC, JobKind.CHAT);
        }
    }

    /** The model provider answering 429 with Retry-After and 500, in turn, to every request for a while. */
    record OpenAiOutage(Duration outage) implements Fault {
        public String name() {
            return "openai 429/500 " + outage.toSeconds() + " s";
        }

        public void inject(Stack stack) {
            stack.openAi.outage(outage, List.of(
                    Reply.error(429, "rate_limit_exceeded", "Rate limit reached", Map.of("Retry-After", "5")),
                    Reply.error(500, "server_error", "The server had an error", Map.of())));
            sleep(outage);
        }

        public List<JobKind> probes() {
            return List.of(JobKind.GENERIC, JobKind.CHAT);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a fault", e);
        }
    }
}
