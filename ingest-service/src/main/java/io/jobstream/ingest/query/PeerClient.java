package io.jobstream.ingest.query;

import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.util.UriComponentsBuilder;

import io.jobstream.ingest.admin.AdminKeyFilter;
import io.jobstream.ingest.admin.AdminProperties;
import io.jobstream.ingest.query.InternalApi.CountsAnswer;
import io.jobstream.ingest.query.InternalApi.JobsAnswer;
import io.jobstream.ingest.query.InternalApi.LookupAnswer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks another instance's {@link InternalApi} routes. Short timeouts: an owner that does not answer
 * quickly is treated as unavailable and the caller falls back to a local standby copy.
 */
@Component
public class PeerClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PeerClient.class);

    private final HttpClient httpClient;
    private final RestClient http;

    public PeerClient(QueryProperties properties, AdminProperties admin, JsonMapper jsonMapper) {
        this.httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.peerConnectTimeout())
                .build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(httpClient);
        requests.setReadTimeout(properties.peerReadTimeout());
        RestClient.Builder builder = RestClient.builder().requestFactory(requests);
        if (admin.keyRequired()) {
            // The internal routes need the admin key when one is set (AdminKeyFilter).
            builder.defaultHeader(AdminKeyFilter.API_KEY_HEADER, admin.apiKey());
        }
        this.http = builder
                // The server side's mapper, so both ends agree on the JSON.
                .configureMessageConverters(converters -> converters.registerDefaults()
                        .withJsonConverter(new JacksonJsonHttpMessageConverter(jsonMapper)))
                .build();
    }

    /** The owner's answer for one job; {@link JobLookup.Unavailable} when it cannot give one. */
    public JobLookup job(HostInfo peer, String jobId) {
        try {
            return http.get()
                    .uri(base(peer).path(InternalApi.JOB).build(jobId))
                    .exchange((request, response) -> {
                        if (response.getStatusCode().value() != HttpStatus.OK.value()) {
                            return new JobLookup.Unavailable(endpoint(peer) + " answered " + response.getStatusCode().value());
                        }
                        LookupAnswer answer = response.bodyTo(LookupAnswer.class);
                        if (answer == null) {
                            return new JobLookup.Unavailable(endpoint(peer) + " answered without a body");
                        }
                        return answer.found() ? new JobLookup.Found(answer.job()) : new JobLookup.Absent();
                    });
        } catch (RestClientException e) {
            log.warn("instance unreachable jobId={} peer={} error={}", jobId, endpoint(peer), e.getMessage());
            return new JobLookup.Unavailable(endpoint(peer) + " unreachable: " + e.getMessage());
        }
    }

    /** The peer's matches in its active partitions: their number and the newest {@code limit}. */
    public JobsAnswer jobs(HostInfo peer, JobFilter filter, int limit) {
        UriComponentsBuilder uri = base(peer).path(InternalApi.JOBS).queryParam("limit", limit);
        if (filter.queue() != null) {
            uri.queryParam("queue", filter.queue());
        }
        if (!filter.states().isEmpty()) {
            uri.queryParam("states", filter.states().stream().map(Enum::name).collect(Collectors.joining(",")));
        }
        if (filter.idPrefix() != null) {
            uri.queryParam("idPrefix", filter.idPrefix());
        }
        return fetch(peer, uri, JobsAnswer.class);
    }

    /** The owner's log lines of one job. */
    public List<LogLine> logs(HostInfo peer, String jobId) {
        return fetchForJob(peer, InternalApi.LOGS, jobId, InternalApi.LogsAnswer.class).lines();
    }

    /** The owner's failed attempts of one job. */
    public List<FailedAttempt> attempts(HostInfo peer, String jobId) {
        return fetchForJob(peer, InternalApi.ATTEMPTS, jobId, InternalApi.AttemptsAnswer.class).attempts();
    }

    /** The peer's job counts in its active partitions. */
    public CountsAnswer counts(HostInfo peer) {
        return fetch(peer, base(peer).path(InternalApi.COUNTS), CountsAnswer.class);
    }

    /** A peer's answer on an internal route without parameters (another feature's local part). */
    public <T> T fetch(HostInfo peer, String path, Class<T> type) {
        return fetch(peer, base(peer).path(path), type);
    }

    private <T> T fetchForJob(HostInfo peer, String path, String jobId, Class<T> type) {
        return fetch(peer, base(peer).path(path).uriVariables(Map.of("id", jobId)), type);
    }

    @Override
    public void close() {
        httpClient.close();
    }

    private <T> T fetch(HostInfo peer, UriComponentsBuilder uri, Class<T> type) {
        try {
            return http.get()
                    .uri(uri.encode().build().toUri())
                    .exchange((request, response) -> {
                        if (response.getStatusCode().value() != HttpStatus.OK.value()) {
                            throw new StatusUnavailableException(endpoint(peer) + " answered " + response.getStatusCode().value());
                        }
                        T body = response.bodyTo(type);
                        if (body == null) {
                            throw new StatusUnavailableException(endpoint(peer) + " answered without a body");
                        }
                        return body;
                    });
        } catch (RestClientException e) {
            log.warn("instance unreachable peer={} error={}", endpoint(peer), e.getMessage());
            throw new StatusUnavailableException(endpoint(peer) + " unreachable: " + e.getMessage(), e);
        }
    }

    private static String endpoint(HostInfo peer) {
        return peer.host() + ":" + peer.port();
    }

    private static UriComponentsBuilder base(HostInfo peer) {
        return UriComponentsBuilder.newInstance().scheme("http").host(peer.host()).port(peer.port());
    }
}
