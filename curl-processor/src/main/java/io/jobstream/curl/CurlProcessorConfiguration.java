package io.jobstream.curl;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobstream.ai.chat.ChatProperties;
import io.jobstream.ai.chat.OpenAiStructuredChat;
import io.jobstream.ai.embedding.EmbeddingProperties;
import io.jobstream.ai.embedding.EmbeddingProvider;
import io.jobstream.ai.embedding.EmbeddingProviders;
import io.jobstream.core.flow.FlowTracker;
import io.jobstream.core.queue.JobWorker;
import io.jobstream.curl.extract.EndpointExtractor;
import io.jobstream.curl.generate.CurlGenerator;
import io.jobstream.curl.generate.OcrCurlGenerator;
import io.jobstream.curl.generate.OpenAiVisionCurlGenerator;
import io.jobstream.curl.job.ApiResourceEmbeddingHandler;
import io.jobstream.curl.job.CurlGenerationHandler;
import io.jobstream.curl.job.EmbeddingJobsFromResults;
import io.jobstream.curl.ocr.TesseractOcr;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.jobs.CurlJobs;
import io.jobstream.store.EmbeddingRepository;
import io.jobstream.store.api.ApiResourceRepository;
import io.jobstream.store.document.DocumentUploads;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({CurlProcessorProperties.class, EmbeddingProperties.class, ChatProperties.class})
public class CurlProcessorConfiguration {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Tesseract (offline) unless {@code jobstream.curl.provider=openai}. */
    @Bean
    public CurlGenerator curlGenerator(CurlProcessorProperties properties, ChatProperties chat) {
        if (properties.provider() == CurlProcessorProperties.Provider.OPENAI) {
            return new OpenAiVisionCurlGenerator(new OpenAiStructuredChat(chat.openai(), "jobstream.curl.provider"));
        }
        CurlProcessorProperties.Ocr ocr = properties.ocr();
        return new OcrCurlGenerator(new TesseractOcr(ocr.command(), ocr.language(), ocr.pageSegmentationMode(), ocr.timeout(), ocr.threads(),
                ocr.minTextHeight()),
                new EndpointExtractor(), ocr.lowConfidence());
    }

    /** The embedding model: the bundled MiniLM unless OpenAI embeddings are configured, as embedding-processor's search uses. */
    @Bean(destroyMethod = "close")
    public EmbeddingProvider apiResourceEmbeddings(EmbeddingProperties properties) {
        return EmbeddingProviders.create(properties);
    }

    /**
     * Batches of screenshots are flows on curl-generation: their parent follows the curl jobs and the
     * embedding jobs each names in its result, so it completes once every resource is embedded. Each
     * curl job's COMPLETED event queues its resources' embedding jobs, exactly once.
     */
    @Bean
    public Topology curlTopology(DataSource dataSource) {
        StreamsBuilder builder = FlowTracker.forQueue(CurlJobs.CURL_GENERATION)
                .withFollowUps(CurlJobs.EMBEDDINGS_GENERATION, CurlProcessorConfiguration::embeddingJobIds)
                .addTo(new StreamsBuilder());
        return EmbeddingJobsFromResults.addTo(builder, new ApiResourceRepository(dataSource)).build();
    }

    private static List<String> embeddingJobIds(String curlResult) {
        if (curlResult == null || curlResult.isBlank()) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        JSON.readTree(curlResult).path(CurlJobs.EMBEDDING_JOB_IDS).forEach(id -> ids.add(id.asString()));
        return ids;
    }

    @Bean
    public JobWorker<JsonNode> curlGenerationWorker(DataSource dataSource, CurlGenerator generator) {
        return JobWorker.json(CurlJobs.CURL_GENERATION.queue(), new CurlGenerationHandler(new DocumentUploads(dataSource),
                generator, new ApiResourceRepository(dataSource)));
    }

    @Bean
    public JobWorker<EmbeddingRequested> embeddingsGenerationWorker(DataSource dataSource, EmbeddingProvider apiResourceEmbeddings) {
        return JobWorker.avro(CurlJobs.EMBEDDINGS_GENERATION.queue(), EmbeddingRequested.class,
                new ApiResourceEmbeddingHandler(apiResourceEmbeddings, new EmbeddingRepository(dataSource)));
    }
}
