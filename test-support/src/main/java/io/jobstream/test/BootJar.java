package io.jobstream.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's Spring Boot jar, unpacked once per build so that its JVM can start from an ahead-of-time cache
 * (JDK 25's AOT cache, JEP 483/514): the classes Spring Boot loads and links at every start are mapped from
 * the cache instead. What it is for is the restart after a crash, when the instance's partitions wait for it:
 * on this machine a processor's restart to {@code RUNNING} went from about 10.5 s to about 8 s.
 *
 * <p>The unpacked jar lives in {@code <module>/target/aot/<jar digest>-jdk<version>/}, so a rebuild or another
 * JDK gets a directory of its own, and a running service never reads a jar the build replaces; unpacking a new
 * build removes the earlier ones. The cache is
 * made by a training start ({@link #train}): the service starts against the live infrastructure and exits
 * once its Spring context is refreshed, before its Kafka Streams application or web server starts. A JVM
 * older than 25, or a training that fails, leaves the service starting without the cache, as before.
 */
public final class BootJar {

    private static final Logger log = LoggerFactory.getLogger(BootJar.class);
    /** The JDK that writes an AOT cache in one training run ({@code -XX:AOTCacheOutput}). */
    private static final int AOT_CACHE_JDK = 25;
    private static final Duration UNPACK_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(5);

    private final Path application;
    private final Path java;

    private BootJar(Path application, Path java) {
        this.application = application;
        this.java = java;
    }

    /** Unpacks {@code bootJar} with Spring Boot's jar tools, unless this build was unpacked before. */
    public static BootJar unpack(Path bootJar) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path dir = bootJar.toAbsolutePath().getParent().resolve("aot")
                .resolve(digest(bootJar) + "-jdk" + Runtime.version().feature() + "." + Runtime.version().interim()
                        + "." + Runtime.version().update());
        if (!Files.isDirectory(dir)) {
            unpackInto(java, bootJar, dir);
            removeOtherBuilds(dir);
        }
        return new BootJar(applicationJar(dir), java);
    }

    /**
     * Earlier builds' directories (a jar and its libraries, 130-230 MB each) go once a new build is unpacked:
     * the jar they came from is gone, and each rebuild would otherwise add one per service.
     */
    private static void removeOtherBuilds(Path dir) {
        try (Stream<Path> siblings = Files.list(dir.getParent())) {
            siblings.filter(Files::isDirectory)
                    .filter(sibling -> !sibling.equals(dir) && !sibling.getFileName().toString().endsWith(".unpacking"))
                    .forEach(BootJar::deleteTree);
        } catch (IOException e) {
            log.debug("cannot list {}: {}", dir.getParent(), e.toString());
        }
    }

    /**
     * {@code java <jvmOptions> [-XX:AOTCache=…] -jar <unpacked jar>}: the cache only where a training with the
     * same options made one, since the JVM checks that they match.
     */
    public List<String> command(List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        if (hasCache(jvmOptions)) {
            command.add("-XX:AOTCache=" + cache(jvmOptions));
        }
        command.addAll(List.of("-jar", application.toString()));
        return command;
    }

    /** Whether a training with {@code jvmOptions} made a cache. */
    public boolean hasCache(List<String> jvmOptions) {
        return Files.isRegularFile(cache(jvmOptions));
    }

    /**
     * Makes the AOT cache for {@code jvmOptions} unless it is there: starts the service with {@code arguments}
     * (the infrastructure it names must be up; a port and a data directory of its own), which exits once its
     * context is refreshed. Output goes to {@code trainingLog}.
     *
     * @return whether the cache is there now
     */
    public boolean train(List<String> jvmOptions, List<String> arguments, Path trainingLog) {
        if (hasCache(jvmOptions)) {
            return true;
        }
        Path cache = cache(jvmOptions);
        if (Runtime.version().feature() < AOT_CACHE_JDK) {
            return false;
        }
        Path partial = cache.resolveSibling(cache.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:AOTCacheOutput=" + partial, "-Dspring.context.exit=onRefresh",
                "-jar", application.toString()));
        command.addAll(arguments);
        long start = System.nanoTime();
        try {
            Commands.run(TRAINING_TIMEOUT, trainingLog, command);
            Files.move(partial, cache, StandardCopyOption.ATOMIC_MOVE);
            log.info("AOT cache made for {} in {} ms: {}", application.getFileName(),
                    Duration.ofNanos(System.nanoTime() - start).toMillis(), cache);
            return true;
        } catch (IllegalStateException | IOException failed) {
            log.warn("no AOT cache for {}; it starts without one: {}", application.getFileName(), failed.getMessage());
            deleteQuietly(partial);
            return false;
        }
    }

    /**
     * One cache per set of JVM options, since a JVM started with other options than the training's cannot use
     * it; system properties ({@code -D}) play no part, so a log or temporary directory of its own is fine.
     */
    private Path cache(List<String> jvmOptions) {
        List<String> relevant = jvmOptions.stream().filter(option -> !option.startsWith("-D")).toList();
        return application.resolveSibling("app-" + digest(String.join("\n", relevant)) + ".aot");
    }

    private static void unpackInto(Path java, Path bootJar, Path dir) {
        Path staging = dir.resolveSibling(dir.getFileName() + "." + ProcessHandle.current().pid() + ".unpacking");
        try {
            Files.createDirectories(staging.getParent());
            Commands.run(UNPACK_TIMEOUT, staging.resolveSibling(staging.getFileName() + ".log"), List.of(java.toString(),
                    "-Djarmode=tools", "-jar", bootJar.toAbsolutePath().toString(), "extract", "--destination",
                    staging.toString()));
            // Another launcher may have unpacked the same build meanwhile: its directory stays.
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            deleteTree(staging);
        } catch (IOException e) {
            if (!Files.isDirectory(dir)) {
                throw new UncheckedIOException("cannot unpack " + bootJar + " into " + dir, e);
            }
            deleteTree(staging);
        } finally {
            deleteQuietly(staging.resolveSibling(staging.getFileName() + ".log"));
        }
    }

    /** The application jar Spring Boot's extract writes next to its {@code lib/} directory. */
    private static Path applicationJar(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> jars = files.filter(file -> file.getFileName().toString().endsWith(".jar")).toList();
            if (jars.size() != 1) {
                throw new IllegalStateException("expected one application jar in " + dir + ", found " + jars);
            }
            return jars.getFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String digest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = sha256();
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, read);
            }
            return shortHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String digest(String text) {
        return shortHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** 12 hex digits: enough to tell builds apart in one directory. */
    private static String shortHex(byte[] digest) {
        return HexFormat.of().formatHex(digest, 0, 6);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(BootJar::deleteQuietly);
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", dir, e.toString());
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", path, e.toString());
        }
    }
}
