package io.jobstream.ingest.query;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How job-status queries reach other instances.
 *
 * @param peerConnectTimeout how long to wait for a connection to the instance that owns a job
 * @param peerReadTimeout    how long to wait for its answer before falling back to a local standby
 * @param retryAfter         what a 503 tells clients to wait (a rebalance usually settles within seconds)
 * @param eventStreamTimeout how long an SSE progress stream stays open at most (clients reconnect after it)
 */
@ConfigurationProperties("jobstream.ingest.queries")
public record QueryProperties(
        @DefaultValue("500ms") Duration peerConnectTimeout,
        @DefaultValue("2s") Duration peerReadTimeout,
        @DefaultValue("1s") Duration retryAfter,
        @DefaultValue("30m") Duration eventStreamTimeout) {
}
