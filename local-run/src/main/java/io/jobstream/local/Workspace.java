package io.jobstream.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/** The run's temporary directory: service state, logs, PostgreSQL and Redis files. Deleted on close. */
final class Workspace implements AutoCloseable {

    // Others may pass through but not list it: run as root, PostgreSQL works inside as the postgres user.
    private static final Set<PosixFilePermission> ROOT_PERMISSIONS = PosixFilePermissions.fromString("rwx--x--x");

    private final Path root;

    private Workspace(Path root) {
        this.root = root;
    }

    static Workspace create() {
        try {
            Path root = Files.createTempDirectory("jobstream-local-");
            Files.setPosixFilePermissions(root, ROOT_PERMISSIONS);
            return new Workspace(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run's temporary directory", e);
        }
    }

    Path root() {
        return root;
    }

    /** {@code root/name}, created if missing. */
    Path directory(String name) {
        try {
            return Files.createDirectories(root.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root.resolve(name), e);
        }
    }

    /** {@code root/logs/name.log}; the file itself is created by whoever writes it. */
    Path log(String name) {
        return directory("logs").resolve(name + ".log");
    }

    @Override
    public void close() throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
