package io.jobstream.local;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.jobstream.test.CrashedProducers;

/**
 * Restarts a service whose JVM ends while the run is not stopping (a crash, an OOM, a {@code kill -9}),
 * with the same command, port and log, saying so with the tail of its log. Its unfinished jobs are then
 * picked up again from Kafka by the new JVM. Before that, the transactions the dead JVM left open are fenced, so
 * that the other services' readers of what it wrote do not wait for them to time out. A service that keeps dying before it is healthy again is
 * given up on: {@link #gaveUp()} completes with it, and the run ends.
 */
final class Supervisor {

    // A service that cannot start is broken (configuration, a port taken), not crashed: do not loop on it.
    static final int FAILED_RESTARTS_LIMIT = 3;

    private final Teardown teardown;
    private final Console console;
    private final Http http;
    private final String bootstrapServers;
    private final CompletableFuture<LaunchException> gaveUp = new CompletableFuture<>();

    Supervisor(Teardown teardown, Console console, Http http, String bootstrapServers) {
        this.teardown = teardown;
        this.console = console;
        this.http = http;
        this.bootstrapServers = bootstrapServers;
    }

    /** Watches every service from now on, each on a virtual thread of its own. */
    void watch(Services services) {
        services.all().forEach(service -> Thread.ofVirtual().name("supervise-" + service.name()).start(() -> supervise(service)));
    }

    /** Completes when a service could not be restarted, with why. */
    CompletableFuture<LaunchException> gaveUp() {
        return gaveUp;
    }

    private void supervise(ServiceProcess service) {
        int failedRestarts = 0;
        while (true) {
            Process ended = service.onExit().join();
            if (teardown.stopping()) {
                return;
            }
            console.warn(service.name() + " (pid " + ended.pid() + ") exited unexpectedly with code " + ended.exitValue()
                    + ": restarting it\n" + Commands.tail(service.log()));
            long begin = System.nanoTime();
            List<String> fenced = CrashedProducers.fence(bootstrapServers, service.dataDir());
            if (!fenced.isEmpty()) {
                console.info("  fenced " + service.name() + "'s open transactions, so no reader waits for them: " + fenced);
            }
            if (!service.restart()) {
                return;
            }
            try {
                service.awaitHealthy(http, Services.HEALTH_TIMEOUT);
                console.ready(service.name() + " restarted", Duration.ofNanos(System.nanoTime() - begin),
                        service.baseUrl() + "  pid " + service.pid());
                failedRestarts = 0;
            } catch (LaunchException e) {
                if (teardown.stopping()) {
                    return;
                }
                if (++failedRestarts >= FAILED_RESTARTS_LIMIT) {
                    gaveUp.complete(new LaunchException(service.name() + " failed to start " + failedRestarts
                            + " times in a row after a crash; giving up\n" + e.getMessage()));
                    return;
                }
                console.error(e.getMessage());
                // Hung rather than ended: ending it is what brings the next attempt.
                service.process().destroyForcibly();
            }
        }
    }
}
