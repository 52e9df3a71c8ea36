package io.jobstream.curl.generate;

/**
 * Turns a screenshot into API documentation. Failures follow pipeline-core's classification: an
 * image nothing can be read from, or an answer that breaks the schema, is a
 * {@link io.jobstream.core.retry.PermanentJobException}; timeouts and a provider's 429/5xx are transient.
 */
public interface CurlGenerator {

    ApiDocumentation generate(Screenshot screenshot);
}
