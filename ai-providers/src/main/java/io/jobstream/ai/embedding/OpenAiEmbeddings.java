package io.jobstream.ai.embedding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;

import io.jobstream.core.retry.PermanentJobException;

/**
 * Embeddings from OpenAI or any OpenAI-compatible server (Ollama, vLLM, LiteLLM…) through the
 * official {@code openai-java} SDK: {@code POST {baseUrl}/embeddings}.
 *
 * <p>The SDK's own retries are off ({@code maxRetries(0)}): a failed call fails the job attempt
 * at once, and the queue's retry topic decides when to try again (using the Retry-After the server
 * sent). SDK types stay inside this class: results are plain {@code float[]}s, because the SDK
 * brings Jackson 2 while the services use Spring's Jackson 3.
 *
 * <p>Vector length: the configured {@code dimensions} (sent with each request), else the known
 * length of OpenAI's models, else, for other servers' models, learned from the first response.
 * Vectors are scaled to unit length, whatever the server returns.
 */
public final class OpenAiEmbeddings implements EmbeddingProvider {

    private static final Logger log = LoggerFactory.getLogger(OpenAiEmbeddings.class);
    // OpenAI's limit of inputs per request; larger batches are split.
    private static final int MAX_INPUTS_PER_REQUEST = 2048;
    private static final Map<String, Integer> OPENAI_DIMENSIONS = Map.of(
            "text-embedding-3-small", 1536,
            "text-embedding-3-large", 3072,
            "text-embedding-ada-002", 1536);
    private static final String PROBE_TEXT = "dimension probe";
    private static final String OPENAI_BASE_URL = "https://api.openai.com/v1";

    private final OpenAIClient client;
    private final String model;
    private final Integer requestedDimensions;
    private final String endpoint;
    // 0 until known: an unknown model without configured dimensions is measured by its first response.
    private volatile int dimensions;

    public OpenAiEmbeddings(EmbeddingProperties.OpenAi settings) {
        if (settings.apiKey() == null || settings.apiKey().isBlank()) {
            throw new IllegalArgumentException("jobstream.embedding.openai.api-key is required for the OpenAI provider "
                    + "(servers without auth accept any value)");
        }
        String baseUrl = settings.baseUrl() != null ? settings.baseUrl() : OPENAI_BASE_URL;
        this.client = OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl)
                .apiKey(settings.apiKey())
                .maxRetries(0)
                .timeout(settings.timeout())
                .build();
        this.model = settings.model();
        this.requestedDimensions = settings.dimensions();
        this.dimensions = requestedDimensions != null ? requestedDimensions : OPENAI_DIMENSIONS.getOrDefault(model, 0);
        this.endpoint = "embeddings endpoint " + baseUrl + " (model " + model + ")";
        log.info("openai embeddings configured model={} baseUrl={} dimensions={} timeoutMillis={}", model, baseUrl,
                dimensions == 0 ? "from first response" : dimensions, settings.timeout().toMillis());
    }

    @Override
    public String model() {
        return model;
    }

    /** Known up front unless the model is unknown and no length was configured: then one probe request. */
    @Override
    public int dimensions() {
        if (dimensions == 0) {
            embed(List.of(PROBE_TEXT));
        }
        return dimensions;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        Texts.requireEmbeddable(texts);
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += MAX_INPUTS_PER_REQUEST) {
            vectors.addAll(request(texts.subList(from, Math.min(texts.size(), from + MAX_INPUTS_PER_REQUEST))));
        }
        return vectors;
    }

    private List<float[]> request(List<String> texts) {
        EmbeddingCreateParams.Builder params = EmbeddingCreateParams.builder()
                .model(model)
                .inputOfArrayOfStrings(texts);
        if (requestedDimensions != null) {
            params.dimensions(requestedDimensions);
        }
        try {
            // Parsing is lazy in the SDK: reading the response belongs inside the try as well.
            return vectors(client.embeddings().create(params.build()), texts.size());
        } catch (OpenAIException e) {
            throw OpenAiFailures.classify(e, endpoint);
        }
    }

    /** Orders by each item's {@code index}, as the API specifies, and checks count and length. */
    private List<float[]> vectors(CreateEmbeddingResponse response, int expected) {
        List<Embedding> data = response.data();
        if (data.size() != expected) {
            throw new PermanentJobException(endpoint + " returned " + data.size() + " embeddings for " + expected
                    + " inputs");
        }
        float[][] vectors = new float[expected][];
        for (Embedding item : data) {
            int index = Math.toIntExact(item.index());
            if (index < 0 || index >= expected || vectors[index] != null) {
                throw new PermanentJobException(endpoint + " returned an embedding with unexpected index " + index);
            }
            vectors[index] = toArray(item.embeddingValue().asFloats());
        }
        return List.of(vectors);
    }

    private float[] toArray(List<Float> values) {
        int length = values.size();
        if (dimensions == 0) {
            dimensions = length;
            log.info("embedding dimensions learned from response model={} dimensions={}", model, length);
        }
        // Vectors go into fixed-size pgvector columns: a length mismatch is a configuration error, not bad luck.
        if (length != dimensions) {
            throw new PermanentJobException(endpoint + " returned " + length + " dimensions, expected " + dimensions);
        }
        float[] vector = new float[length];
        double squares = 0;
        for (int i = 0; i < length; i++) {
            vector[i] = values.get(i);
            squares += (double) vector[i] * vector[i];
        }
        // OpenAI's vectors are unit length already; other servers' models need not be.
        float norm = (float) Math.sqrt(squares);
        if (norm > 0) {
            for (int i = 0; i < length; i++) {
                vector[i] /= norm;
            }
        }
        return vector;
    }

    @Override
    public void close() {
        client.close();
    }
}
