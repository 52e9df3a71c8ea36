package io.jobstream.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** A {@code java} command line running a main class of the test classpath in a JVM of its own. */
final class JavaCommand {

    private static final String LOGBACK_CONFIG = """
            <configuration>
              <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="out"/></root>
            </configuration>
            """;

    private JavaCommand() {
    }

    /**
     * The command for {@code mainClass}, with the same {@code java} and classpath as this JVM;
     * the files it needs (classpath, logging configuration) are written to {@code dir}.
     */
    static List<String> of(Path dir, String mainClass, String... args) {
        // The test classpath can exceed the kernel's limit for one argument: pass it in a file.
        writeAtomically(dir, "classpath.args", "-cp \"" + System.getProperty("java.class.path")
                .replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n");
        return command(dir, List.of("@" + dir.resolve("classpath.args"), mainClass), args);
    }

    /** The command for a service's unpacked Spring Boot jar, with the same {@code java} as this JVM. */
    static List<String> ofJar(Path dir, BootJar jar, String... args) {
        List<String> command = new ArrayList<>(jar.command(jvmOptions(dir)));
        command.addAll(List.of(args));
        return command;
    }

    /** Makes the AOT cache for {@code jar} as {@link #ofJar} launches it; see {@link BootJar#train}. */
    static boolean train(Path dir, BootJar jar, String... args) {
        return jar.train(jvmOptions(dir), List.of(args), dir.resolve("training.log"));
    }

    /**
     * Replaces a launch file whole: a JVM started a moment ago from the same directory may still be
     * reading the old one (a truncated classpath file makes it exit with "Could not find or load main class").
     */
    private static void writeAtomically(Path dir, String name, String content) {
        try {
            Files.createDirectories(dir);
            Path written = Files.createTempFile(dir, name, ".tmp");
            Files.writeString(written, content);
            Files.move(written, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the launch file " + name + " in " + dir, e);
        }
    }

    private static List<String> command(Path dir, List<String> launch, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this JVM")));
        command.addAll(jvmOptions(dir));
        command.addAll(launch);
        command.addAll(List.of(args));
        return command;
    }

    private static List<String> jvmOptions(Path dir) {
        writeAtomically(dir, "logback.xml", LOGBACK_CONFIG);
        return List.of("-Xmx1g",
                // Tests and the local run share two cores with the broker: C1 alone compiles hot code at a
                // fraction of C2's CPU, and the serial collector runs no concurrent GC threads.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                // The test classpath binds SLF4J to Logback, whose default level is DEBUG.
                "-Dlogback.configurationFile=" + dir.resolve("logback.xml"));
    }
}
