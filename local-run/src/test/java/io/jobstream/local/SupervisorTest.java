package io.jobstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.test.Await;
import io.jobstream.test.FreePorts;
import tools.jackson.databind.json.JsonMapper;

/** The launcher's supervisor with a real child JVM ({@link FakeService}) killed with SIGKILL. */
class SupervisorTest {

    private static final Duration WAIT = Duration.ofMinutes(1);
    /** Never contacted: the fake service keeps no Kafka Streams state, so it leaves no transactions to fence. */
    private static final String NO_BROKER = "127.0.0.1:9";

    private final Http http = new Http(JsonMapper.builder().build());
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(printed, true, StandardCharsets.UTF_8), false);
    private final Teardown teardown = new Teardown(console);

    @Test
    void aKilledServiceIsRestartedOnItsPortWithALineAndItsLogTail(@TempDir Path dir) throws IOException {
        ServiceProcess service = fakeService(dir);
        try {
            service.awaitHealthy(http, WAIT);
            new Supervisor(teardown, console, http, NO_BROKER).watch(new Services(List.of(service)));
            long killed = service.pid();

            service.process().destroyForcibly();

            Await.until(WAIT, "the restart's line", () -> printed().contains("fake-service restarted"));
            assertThat(service.pid()).isNotEqualTo(killed);
            assertThat(http.get(service.uri("/actuator/health")).body().path("status").asString()).isEqualTo("UP");
            assertThat(printed())
                    .contains("fake-service (pid " + killed + ") exited unexpectedly with code 137: restarting it")
                    .contains("--- last lines of " + service.log())
                    .contains("fake service " + killed + " listening on port");
        } finally {
            teardown.stopAll();
        }
        assertThat(service.process().isAlive()).isFalse();
    }

    @Test
    void aServiceStoppedByTheTeardownIsNotRestarted(@TempDir Path dir) {
        ServiceProcess service = fakeService(dir);
        service.awaitHealthy(http, WAIT);
        Supervisor supervisor = new Supervisor(teardown, console, http, NO_BROKER);
        supervisor.watch(new Services(List.of(service)));
        long stopped = service.pid();

        teardown.stopAll();

        assertThat(service.process().isAlive()).isFalse();
        assertThat(service.pid()).isEqualTo(stopped);
        assertThat(service.restart()).as("a restart after close").isFalse();
        assertThat(printed()).doesNotContain("restarting");
    }

    /** A {@link ServiceProcess} whose JVM runs {@link FakeService}. */
    private ServiceProcess fakeService(Path dir) {
        int port = FreePorts.next();
        ServiceProcess service = ServiceProcess.start("fake-service", List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), FakeService.class.getName()),
                port, dir.resolve("data"), List.of("--server.port=" + port), dir.resolve("fake-service.log"));
        teardown.add("fake-service", service);
        return service;
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
