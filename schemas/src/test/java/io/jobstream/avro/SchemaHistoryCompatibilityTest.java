package io.jobstream.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaParser;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kept version of every schema must stay readable by the class generated from the current
 * one, so a breaking change in {@code src/main/avro} fails the build instead of a consumer.
 * Schemas are discovered from the sources and the history directories, never listed by hand.
 */
class SchemaHistoryCompatibilityTest {

    // Surefire runs with the module directory as working directory.
    private static final Path SCHEMA_SOURCES = Path.of("src/main/avro");
    private static final Path HISTORY = Path.of("src/main/resources/avro-history");

    /** The top-level schemas in the sources, plus any type with kept versions (a nested record may have some). */
    static SortedSet<String> schemaNames() throws IOException {
        SortedSet<String> names = new TreeSet<>(currentSchemaNames());
        names.addAll(historyNames());
        return names;
    }

    @Test
    void discoversTheSchemasAndTheirHistory() throws IOException {
        // Without this, a scan that finds nothing would pass every check below.
        assertThat(currentSchemaNames()).contains("io.jobstream.events.JobEvent", "io.jobstream.events.JobState");
        assertThat(historyNames()).contains("io.jobstream.events.JobEvent");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaNames")
    void currentClassReadsEveryKeptVersion(String fullName) {
        Schema current = generatedSchema(fullName);
        List<Schema> versions = SchemaHistory.versionsOf(fullName);
        for (int i = 0; i < versions.size(); i++) {
            Schema old = versions.get(i);
            String version = fullName + " v" + (i + 1);
            assertThat(old.getFullName()).as("full name in %s", version).isEqualTo(fullName);
            SchemaPairCompatibility compatibility = SchemaCompatibility.checkReaderWriterCompatibility(current, old);
            assertThat(compatibility.getType())
                    .as("current %s reading %s: %s", fullName, version, incompatibilities(compatibility))
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("historyNames")
    void keepsVersionsAsAnUnbrokenSequence(String fullName) throws IOException {
        // SchemaHistory stops at the first missing v<n>.avsc: any other file would be silently ignored.
        List<String> expected = IntStream.rangeClosed(1, SchemaHistory.versionsOf(fullName).size())
                .mapToObj(version -> "v" + version + ".avsc")
                .toList();
        try (Stream<Path> files = Files.list(HISTORY.resolve(fullName))) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .as("files in %s", HISTORY.resolve(fullName))
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    static List<String> currentSchemaNames() throws IOException {
        // One parser for every file; a schema resolves its references to other files only once all are parsed.
        SchemaParser parser = new SchemaParser();
        List<SchemaParser.ParseResult> parsed = new ArrayList<>();
        try (Stream<Path> files = Files.list(SCHEMA_SOURCES)) {
            for (Path source : files.filter(file -> file.toString().endsWith(".avsc")).sorted().toList()) {
                parsed.add(parser.parse(source));
            }
        }
        return parsed.stream().map(result -> result.mainSchema().getFullName()).toList();
    }

    static List<String> historyNames() throws IOException {
        try (Stream<Path> directories = Files.list(HISTORY)) {
            return directories.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList();
        }
    }

    private static Schema generatedSchema(String fullName) {
        try {
            return SpecificData.get().getSchema(Class.forName(fullName));
        } catch (ClassNotFoundException e) {
            return fail("no generated class for %s: kept versions must belong to a schema in %s",
                    fullName, SCHEMA_SOURCES);
        }
    }

    private static List<String> incompatibilities(SchemaPairCompatibility compatibility) {
        return compatibility.getResult().getIncompatibilities().stream()
                .map(incompatibility -> incompatibility.getType() + " at " + incompatibility.getLocation()
                        + ": " + incompatibility.getMessage())
                .toList();
    }
}
