package io.jobstream.ingest.support;

import java.util.List;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the SSE wire format: {@code event:} and {@code data:} lines; a blank line ends an event. */
public final class ServerSentEvents {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ServerSentEvents() {
    }

    /** One event: its name and its JSON data. */
    public record Event(String name, JsonNode data) {
    }

    /** Appends every event of {@code lines} to {@code into} (synchronized on it) until the stream ends. */
    public static void parse(Stream<String> lines, List<Event> into) {
        String[] name = {null};
        StringBuilder data = new StringBuilder();
        lines.forEach(line -> {
            if (line.startsWith("event:")) {
                name[0] = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5));
            } else if (line.isEmpty() && name[0] != null) {
                synchronized (into) {
                    into.add(new Event(name[0], JSON.readTree(data.toString())));
                }
                name[0] = null;
                data.setLength(0);
            }
        });
    }
}
