package io.jobstream.ingest.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import io.jobstream.core.web.ErrorBody;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * With {@code jobstream.admin.api-key} set, the routes that change queues and jobs (pause, resume,
 * clean, retry, remove/cancel, promote, schedulers, dead-letter replay) and the internal routes
 * between ingest instances answer 401 unless the request carries the key. Submitting jobs and every
 * read stay open. The key is compared in constant time and never logged.
 */
@Component
@EnableConfigurationProperties(AdminProperties.class)
public class AdminKeyFilter extends OncePerRequestFilter {

    public static final String API_KEY_HEADER = "X-Api-Key";
    private static final String BEARER = "Bearer ";

    /** Every guarded route, by method; {@code null} guards every method. */
    static final List<Route> GUARDED = List.of(
            Route.of(HttpMethod.POST, "/api/queues/{queue}/pause"),
            Route.of(HttpMethod.POST, "/api/queues/{queue}/resume"),
            Route.of(HttpMethod.POST, "/api/queues/{queue}/clean"),
            Route.of(HttpMethod.POST, "/api/queues/{queue}/retry-failed"),
            Route.of(HttpMethod.POST, "/api/queues/{queue}/promote-delayed"),
            Route.of(HttpMethod.POST, "/api/queues/{queue}/dead-letters/replay"),
            Route.of(HttpMethod.PUT, "/api/queues/{queue}/schedulers/{id}"),
            Route.of(HttpMethod.DELETE, "/api/queues/{queue}/schedulers/{id}"),
            Route.of(HttpMethod.DELETE, "/api/jobs/{id}"),
            Route.of(HttpMethod.POST, "/api/jobs/{id}/retry"),
            Route.of(HttpMethod.POST, "/api/jobs/{id}/promote"),
            Route.of(HttpMethod.POST, "/agent/queue/pause"),
            Route.of(HttpMethod.POST, "/agent/queue/resume"),
            Route.of(HttpMethod.POST, "/agent/queue/clean"),
            Route.of(HttpMethod.DELETE, "/agent/queue/job/{jobId}"),
            Route.of(HttpMethod.POST, "/agent/queue/job/{jobId}/retry"),
            Route.of(HttpMethod.DELETE, "/api/pipeline/process"),
            Route.of(null, "/internal/**"));

    private final byte[] key;
    private final JsonMapper json;

    public AdminKeyFilter(AdminProperties properties, JsonMapper json) {
        this.key = properties.keyRequired() ? properties.apiKey().getBytes(StandardCharsets.UTF_8) : null;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (key == null) {
            return true;
        }
        PathContainer path = PathContainer.parsePath(request.getRequestURI().substring(request.getContextPath().length()));
        HttpMethod method = HttpMethod.valueOf(request.getMethod());
        return GUARDED.stream().noneMatch(route -> route.matches(method, path));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (MessageDigest.isEqual(key, presented(request))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        json.writeValue(response.getOutputStream(), new ErrorBody("This route needs the admin key", HttpHeaders.AUTHORIZATION,
                "send 'Authorization: Bearer <key>' or '" + API_KEY_HEADER + ": <key>' (jobstream.admin.api-key)"));
    }

    private static byte[] presented(HttpServletRequest request) {
        String apiKey = request.getHeader(API_KEY_HEADER);
        if (apiKey != null) {
            return apiKey.getBytes(StandardCharsets.UTF_8);
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        }
        return new byte[0];
    }

    record Route(HttpMethod method, PathPattern pattern) {

        static Route of(HttpMethod method, String pattern) {
            return new Route(method, PathPatternParser.defaultInstance.parse(pattern));
        }

        boolean matches(HttpMethod requested, PathContainer path) {
            return (method == null || method.equals(requested)) && pattern.matches(path);
        }
    }
}
