package io.jobstream.curl.extract;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds the endpoints an API reference page shows in its recognized text: a line with an HTTP
 * method and a URL or path starts an endpoint; the header lines ({@code Name: value}) and the JSON
 * body that follow, up to the next endpoint, belong to it. A path is resolved against the first
 * absolute URL on the page (its base URL). OCR's typographic quotes are straightened before a body
 * is parsed; a body that still does not parse is kept as recognized.
 */
public final class EndpointExtractor {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern ENDPOINT = Pattern.compile(
            "\\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\\s+[\"'`]?((?:https?://|/)[^\\s\"'`]+)");
    private static final Pattern ABSOLUTE_URL = Pattern.compile("https?://[^\\s\"'`/]+");
    private static final Pattern SCHEME_GAP = Pattern.compile("\\b(https?):\\s+//");
    private static final Pattern SCHEME = Pattern.compile("\\b([A-Za-z]{3,6})(?=:\\s*//)");
    private static final Pattern URL_GAP = Pattern.compile("(https?://[^\\s]*[./?&=])\\s+([A-Za-z0-9_/-])");
    private static final Pattern HEADER = Pattern.compile("^(?:-H\\s+)?[\"']?([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)\\s*:\\s*(.+?)[\"']?$");
    /** Header names taken without a hyphen; hyphenated names (X-Api-Key, Content-Type) are headers by their form. */
    private static final Set<String> SINGLE_WORD_HEADERS = Set.of("authorization", "accept", "cookie", "origin", "referer",
            "host", "range", "prefer", "expect", "from", "via", "warning", "forwarded");

    public List<ApiEndpoint> extract(List<String> recognized) {
        List<String> lines = recognized.stream().map(EndpointExtractor::joinUrls).toList();
        String base = baseUrl(lines);
        List<Section> sections = new ArrayList<>();
        String previous = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            Matcher endpoint = ENDPOINT.matcher(line);
            if (endpoint.find()) {
                sections.add(new Section(endpoint.group(1), resolve(base, trimPunctuation(endpoint.group(2))),
                        description(previous), i));
            }
            if (!line.isEmpty()) {
                previous = line;
            }
        }
        List<ApiEndpoint> endpoints = new ArrayList<>(sections.size());
        for (int s = 0; s < sections.size(); s++) {
            Section section = sections.get(s);
            int end = s + 1 < sections.size() ? sections.get(s + 1).line() : lines.size();
            endpoints.add(section.complete(lines.subList(section.line() + 1, end)));
        }
        return endpoints;
    }

    private record Section(String method, String url, String description, int line) {

        ApiEndpoint complete(List<String> following) {
            Map<String, String> headers = new LinkedHashMap<>();
            String body = null;
            for (int i = 0; i < following.size(); i++) {
                String line = following.get(i).strip();
                if (body == null && (line.startsWith("{") || line.startsWith("["))) {
                    int end = closing(following, i);
                    body = body(following.subList(i, end + 1));
                    i = end;
                    continue;
                }
                Matcher header = HEADER.matcher(line);
                if (header.matches() && isHeaderName(header.group(1))) {
                    headers.put(header.group(1), header.group(2).strip());
                }
            }
            return new ApiEndpoint(method, url, headers, body, description);
        }
    }

    private static boolean isHeaderName(String name) {
        return name.contains("-") || SINGLE_WORD_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /** The index of the line that closes the JSON value opened at {@code start}, or the last line. */
    private static int closing(List<String> lines, int start) {
        int depth = 0;
        for (int i = start; i < lines.size(); i++) {
            for (char c : lines.get(i).toCharArray()) {
                if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                }
            }
            if (depth <= 0) {
                return i;
            }
        }
        return lines.size() - 1;
    }

    private static String body(List<String> lines) {
        String raw = String.join("\n", lines.stream().map(String::strip).toList())
                .replace('\u201C', '"').replace('\u201D', '"').replace('\u2018', '\'').replace('\u2019', '\'');
        try {
            return JSON.writeValueAsString(JSON.readTree(raw));
        } catch (JacksonException notJson) {
            return raw;
        }
    }

    /**
     * OCR puts spaces after a URL's punctuation ({@code https: //shop. example. com/v2/users? limit=10}),
     * which a URL never has: the pieces are rejoined.
     */
    private static String joinUrls(String line) {
        String joined = SCHEME_GAP.matcher(SCHEME.matcher(line).replaceAll(scheme -> scheme(scheme.group(1)))).replaceAll("$1://");
        for (String previous = null; !joined.equals(previous); ) {
            previous = joined;
            joined = URL_GAP.matcher(joined).replaceAll("$1$2");
        }
        return joined;
    }

    /** A scheme one letter away from http or https ({@code hittps}, {@code htps}) is that scheme misread. */
    private static String scheme(String read) {
        String lower = read.toLowerCase(Locale.ROOT);
        if (oneEditAway(lower, "https")) {
            return "https";
        }
        return oneEditAway(lower, "http") ? "http" : read;
    }

    private static boolean oneEditAway(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 1) {
            return false;
        }
        int i = 0;
        int j = 0;
        int edits = 0;
        while (i < a.length() && j < b.length()) {
            if (a.charAt(i) == b.charAt(j)) {
                i++;
                j++;
                continue;
            }
            if (++edits > 1) {
                return false;
            }
            if (a.length() > b.length()) {
                i++;
            } else if (a.length() < b.length()) {
                j++;
            } else {
                i++;
                j++;
            }
        }
        return edits + (a.length() - i) + (b.length() - j) <= 1;
    }

    private static String baseUrl(List<String> lines) {
        for (String line : lines) {
            Matcher url = ABSOLUTE_URL.matcher(line);
            if (url.find()) {
                return url.group();
            }
        }
        return null;
    }

    private static String resolve(String base, String url) {
        if (!url.startsWith("/") || base == null) {
            return url;
        }
        return URI.create(base).resolve(url).toString();
    }

    private static String trimPunctuation(String url) {
        return url.replaceAll("[.,;:)]+$", "");
    }

    /** The line before an endpoint describes it when it is prose, not another header or code. */
    private static String description(String previous) {
        if (previous == null || previous.contains(":") || previous.contains("{") || previous.contains("}")
                || ENDPOINT.matcher(previous).find()) {
            return null;
        }
        return previous;
    }
}
