package io.jobstream.ai.embedding;

import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which embedding provider to use and how, e.g. {@code jobstream.embedding.openai.api-key=sk-…}.
 * With nothing set, embeddings come from the bundled local model; setting an OpenAI API key
 * switches to OpenAI unless {@code provider} says otherwise.
 *
 * @param provider {@code local} or {@code openai}; unset: {@code openai} when an API key is set, else {@code local}
 */
@ConfigurationProperties("jobstream.embedding")
public record EmbeddingProperties(Provider provider, @DefaultValue OpenAi openai, @DefaultValue Local local,
                                  @DefaultValue Batch batch) {

    public enum Provider { LOCAL, OPENAI }

    /** Nested settings left null (plain Java use) take their defaults. */
    public EmbeddingProperties {
        openai = Objects.requireNonNullElse(openai, OpenAi.DEFAULTS);
        local = Objects.requireNonNullElse(local, Local.DEFAULTS);
        batch = Objects.requireNonNullElse(batch, Batch.DEFAULTS);
    }

    public static EmbeddingProperties defaults() {
        return new EmbeddingProperties(null, null, null, null);
    }

    public Provider resolvedProvider() {
        if (provider != null) {
            return provider;
        }
        return openai.apiKey() == null || openai.apiKey().isBlank() ? Provider.LOCAL : Provider.OPENAI;
    }

    /**
     * An OpenAI-compatible embeddings endpoint.
     *
     * @param apiKey     sent as the bearer token; servers without auth (Ollama, vLLM) accept any value
     * @param baseUrl    e.g. {@code http://localhost:11434/v1}; unset: {@code https://api.openai.com/v1}
     * @param model      the model name, stored with each vector
     * @param dimensions requested vector length (text-embedding-3 models can shorten their vectors);
     *                   unset: the model's own length
     * @param timeout    limit for one request, connecting included
     */
    public record OpenAi(String apiKey, String baseUrl, @DefaultValue(DEFAULT_MODEL) String model,
                         Integer dimensions, @DefaultValue("30s") Duration timeout) {

        public static final String DEFAULT_MODEL = "text-embedding-3-small";
        static final OpenAi DEFAULTS = new OpenAi(null, null, DEFAULT_MODEL, null, Duration.ofSeconds(30));

        public OpenAi {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(timeout, "timeout");
            if (dimensions != null && dimensions < 1) {
                throw new IllegalArgumentException("dimensions must be positive, got " + dimensions);
            }
        }

        @Override
        public String toString() {
            return "OpenAi[apiKey=" + (apiKey == null ? "unset" : "***") + ", baseUrl=" + baseUrl + ", model=" + model
                    + ", dimensions=" + dimensions + ", timeout=" + timeout + "]";
        }
    }

    /** @param parallelism ONNX sessions embedding at once; the number of cores is a good value */
    public record Local(@DefaultValue("2") int parallelism) {

        static final Local DEFAULTS = new Local(LocalMiniLmEmbeddings.DEFAULT_PARALLELISM);

        public Local {
            if (parallelism < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
            }
        }
    }

    /**
     * Micro-batching of concurrent jobs' texts ({@link EmbeddingBatcher}).
     *
     * @param size       texts per provider call at most
     * @param linger     how long the first text of a batch waits for others
     * @param maxPending texts queued or in flight at most; further callers wait
     */
    public record Batch(@DefaultValue("32") int size, @DefaultValue("20ms") Duration linger,
                        @DefaultValue("256") int maxPending) {

        static final Batch DEFAULTS = new Batch(32, Duration.ofMillis(20), 256);

        public Batch {
            Objects.requireNonNull(linger, "linger");
            if (size < 1 || maxPending < size || linger.isNegative()) {
                throw new IllegalArgumentException("need 1 <= size <= maxPending and linger >= 0, got size=" + size
                        + " maxPending=" + maxPending + " linger=" + linger);
            }
        }
    }
}
