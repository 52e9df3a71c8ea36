package io.jobstream.ingest.trace;

import java.io.IOException;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.jobstream.core.trace.TraceParent;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * W3C trace context in: a request's {@code traceparent} (or a new trace when it has none or an invalid
 * one) is the trace of every job the request adds, from its Kafka headers to its status' {@code traceId}.
 * The answer carries this service's {@code traceparent}, so a client without one learns its trace.
 */
@Component
public class TraceContextFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        TraceParent trace = TraceParent.parse(request.getHeader(TraceParent.HEADER))
                .map(TraceParent::child)
                .orElseGet(TraceParent::random);
        response.setHeader(TraceParent.HEADER, trace.toString());
        try (TraceParent.Scope ignored = TraceParent.enter(trace)) {
            chain.doFilter(request, response);
        }
    }
}
