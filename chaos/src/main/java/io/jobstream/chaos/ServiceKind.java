package io.jobstream.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The services of the stack, each run as two instances from the Spring Boot jar its module's build made. */
enum ServiceKind {
    INGEST("ingest-service"),
    EMBEDDING("embedding-processor"),
    AGENT("agent-processor"),
    DOCUMENT("document-pipeline"),
    DISPATCH("dispatch-processor"),
    CATALOG("catalog-processor");

    final String module;

    ServiceKind(String module) {
        this.module = module;
    }

    boolean processor() {
        return this != INGEST;
    }

    /**
     * The executable Spring Boot jar in {@code <repository>/<module>/target}: {@code <module>-<version>-exec.jar}
     * where the module also publishes a library jar (its main jar is then the plain classes), else
     * {@code <module>-<version>.jar}.
     */
    Path jar(Path repository) {
        Path target = repository.resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches(module + "-[0-9][^-]*(-SNAPSHOT)?(-exec)?\\.jar"))
                    .max(Comparator.comparing((String name) -> name.endsWith("-exec.jar")))
                    .map(target::resolve)
                    .orElseThrow(() -> new IllegalStateException("no jar of " + module + " in " + target
                            + ": build it (scripts/chaos.sh does)"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + target + ": build " + module + " first", e);
        }
    }
}
