package io.jobstream.embedding.job;

import io.jobstream.core.ratelimit.RateLimiter;

/** Takes a job's rate-limit token, or defers the job (without using an attempt) until one is due. */
final class JobTokens {

    private final RateLimiter limiter;
    private final String bucket;

    JobTokens(RateLimiter limiter, String bucket) {
        this.limiter = limiter;
        this.bucket = bucket;
    }

    void take() {
        limiter.takeForJob(bucket);
    }
}
