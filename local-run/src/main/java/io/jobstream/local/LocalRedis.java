package io.jobstream.local;

import java.util.Optional;

import io.jobstream.test.RedisInstance;

/**
 * The run's Redis, when it is installed: test-support's {@code redis-server} child process, in the
 * workspace and stopped by its PID with the run. Without it the services keep per-instance buckets.
 */
final class LocalRedis {

    private LocalRedis() {
    }

    static Optional<RedisInstance> startIfInstalled(Workspace workspace) {
        if (!RedisInstance.installed()) {
            return Optional.empty();
        }
        try {
            return Optional.of(RedisInstance.start(workspace.directory("redis")));
        } catch (IllegalStateException e) {
            throw new LaunchException(e.getMessage(), e);
        }
    }
}
