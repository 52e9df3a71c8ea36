package io.jobstream.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * One post of the demo workload, shaped like a scraper's dataset item (what the webhook takes).
 *
 * @param timestamp publication time, ISO-8601 in UTC
 */
record DemoPost(String id, String url, String author, String text, String timestamp) {

    static final String RESOURCE = "/demo/posts.json";

    /** The posts shipped in {@value #RESOURCE}. */
    static List<DemoPost> loadDemo(JsonMapper json) {
        try (InputStream in = DemoPost.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the launcher's jar");
            }
            return json.readValue(in, new TypeReference<List<DemoPost>>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
