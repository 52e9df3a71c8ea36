package io.jobstream.curl.extract;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One endpoint a page documents, and the curl command that calls it.
 *
 * @param headers in the order the page lists them
 * @param body    the request body example (JSON when it parsed as JSON), or null
 */
public record ApiEndpoint(String method, String url, Map<String, String> headers, String body, String description) {

    public ApiEndpoint {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** A runnable command: every value single-quoted for a POSIX shell. */
    public String curl() {
        StringBuilder command = new StringBuilder("curl -X ").append(method).append(' ').append(quote(url));
        headers.forEach((name, value) -> command.append(" \\\n  -H ").append(quote(name + ": " + value)));
        if (body != null) {
            command.append(" \\\n  --data ").append(quote(body));
        }
        return command.toString();
    }

    /** The endpoint's documentation: what it does, the command, its headers and body. */
    public String markdown() {
        StringBuilder markdown = new StringBuilder("### ").append(method).append(' ').append(url).append("\n\n");
        if (description != null && !description.isBlank()) {
            markdown.append(description).append("\n\n");
        }
        markdown.append("```bash\n").append(curl()).append("\n```\n");
        if (!headers.isEmpty()) {
            markdown.append("\n| Header | Value |\n|---|---|\n");
            headers.forEach((name, value) -> markdown.append("| ").append(name).append(" | ").append(value).append(" |\n"));
        }
        if (body != null) {
            markdown.append("\nBody example:\n\n```json\n").append(body).append("\n```\n");
        }
        return markdown.toString();
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
