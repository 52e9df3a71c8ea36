package io.jobstream.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A test JVM killed with SIGKILL leaves its redis-server behind; the next harness start stops it. */
class ChildProcessesTest {

    private static final String PID_LINE = "redis-pid=";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void theRedisOfAKilledTestJvmIsReaped() throws Exception {
        assumeTrue(RedisInstance.installed(), "redis-server is not installed");
        Process owner = new ProcessBuilder(JavaCommand.of(dir.resolve("owner"), OrphanOwner.class.getName(),
                dir.resolve("redis").toString())).redirectErrorStream(true).start();
        long redisPid = -1;
        try {
            redisPid = readRedisPid(owner);
            assertThat(ChildProcesses.directory().resolve(redisPid + ".pid")).exists();

            owner.destroyForcibly();
            assertThat(owner.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(alive(redisPid)).as("redis-server outlives its killed owner").isTrue();

            assertThat(ChildProcesses.reapOrphans()).contains(redisPid);
            long reaped = redisPid;
            Await.until(Duration.ofSeconds(60), "the orphaned redis-server gone", () -> !alive(reaped));
            assertThat(ChildProcesses.directory().resolve(redisPid + ".pid")).doesNotExist();
        } finally {
            owner.destroyForcibly();
            if (redisPid > 0) {
                ProcessHandle.of(redisPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void aLiveOwnersChildIsLeftAlone() throws Exception {
        assumeTrue(RedisInstance.installed(), "redis-server is not installed");
        try (RedisInstance redis = RedisInstance.start(Files.createDirectories(dir.resolve("own-redis")))) {
            assertThat(ChildProcesses.reapOrphans()).doesNotContain(redis.pid());
            assertThat(alive(redis.pid())).isTrue();
        }
    }

    private static long readRedisPid(Process owner) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(PID_LINE)) {
                // Keep draining its output so the owner never blocks on a full pipe.
                Thread.ofPlatform().daemon().start(() -> out.lines().forEach(ignored -> { }));
                return Long.parseLong(line.substring(PID_LINE.length()).trim());
            }
        }
        throw new AssertionError("the owner JVM exited before starting redis-server, exit code " + owner.waitFor());
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** A test JVM that starts a redis-server through the harness, then waits to be killed. */
    public static final class OrphanOwner {

        public static void main(String[] args) throws Exception {
            Path redisDir = Files.createDirectories(Path.of(args[0]));
            RedisInstance redis = RedisInstance.start(redisDir);
            System.out.println(PID_LINE + redis.pid());
            System.out.flush();
            Thread.sleep(Duration.ofHours(1));
        }
    }
}
