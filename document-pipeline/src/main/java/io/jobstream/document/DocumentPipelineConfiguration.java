package io.jobstream.document;

import org.apache.kafka.streams.Topology;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import io.jobstream.ai.chat.ChatProperties;
import io.jobstream.ai.chat.OpenAiStructuredChat;
import io.jobstream.ai.embedding.EmbeddingProperties;
import io.jobstream.ai.embedding.EmbeddingProvider;
import io.jobstream.ai.embedding.EmbeddingProviders;
import io.jobstream.core.config.QueueProperties;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.document.classification.ClassificationStep;
import io.jobstream.document.classification.DocumentClassifier;
import io.jobstream.document.classification.OpenAiClassifier;
import io.jobstream.document.classification.ZeroShotClassifier;
import io.jobstream.document.extraction.ExtractionStep;
import io.jobstream.document.extraction.TikaTextExtractor;
import io.jobstream.document.ingestion.IngestionStep;
import io.jobstream.document.ner.CrfEntityRecognizer;
import io.jobstream.document.ner.EntityRecognizer;
import io.jobstream.document.ner.NerStep;
import io.jobstream.document.ner.OpenAiEntityRecognizer;
import io.jobstream.store.document.DocumentRepositories;
import io.jobstream.store.document.DocumentRepository;
import io.jobstream.store.document.DocumentTexts;
import io.jobstream.store.document.DocumentUploads;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({DocumentPipelineProperties.class, EmbeddingProperties.class, ChatProperties.class})
@Import(DocumentRepositories.class)
public class DocumentPipelineConfiguration {

    @Bean
    public DocumentTextLoader documentTextLoader(DocumentTexts texts) {
        return new DocumentTextLoader(texts);
    }

    /** The embedding pipeline's provider: the bundled MiniLM unless OpenAI is configured. */
    @Bean(destroyMethod = "close")
    public EmbeddingProvider classificationEmbeddings(EmbeddingProperties properties) {
        return EmbeddingProviders.create(properties);
    }

    /** Zero-shot over the embedding model (offline) unless {@code classification.provider=openai}. */
    @Bean
    public DocumentClassifier documentClassifier(EmbeddingProvider embeddings, DocumentPipelineProperties properties,
                                                 ChatProperties chat) {
        DocumentPipelineProperties.Classification settings = properties.classification();
        if (settings.provider().equals("openai")) {
            return new OpenAiClassifier(new OpenAiStructuredChat(chat.openai(), "jobstream.documents.classification.provider"),
                    settings.labels(), settings.maxCharacters());
        }
        return new ZeroShotClassifier(embeddings, settings.labels(), settings.chunkCharacters(), settings.maxChunks());
    }

    /** CoreNLP's CRF models (offline) unless {@code ner.provider=openai}. */
    @Bean
    public EntityRecognizer entityRecognizer(DocumentPipelineProperties properties, ChatProperties chat) {
        if (properties.ner().provider().equals("openai")) {
            return new OpenAiEntityRecognizer(new OpenAiStructuredChat(chat.openai(), "jobstream.documents.ner.provider"));
        }
        return new CrfEntityRecognizer(properties.ner().models());
    }

    @Bean(destroyMethod = "close")
    public JobPublisher chunkJobPublisher(StreamsProperties streams, DocumentPipelineProperties properties) {
        return new JobPublisher(streams.bootstrapServers(), streams.applicationId() + "-chunks",
                properties.ingestion().publisherPoolSize());
    }

    @Bean
    public Topology documentTopology(DocumentUploads uploads, DocumentTexts texts, DocumentTextLoader loader,
                                     DocumentRepository documents, DocumentClassifier classifier, EntityRecognizer recognizer,
                                     JobPublisher chunkJobPublisher, DocumentPipelineProperties properties,
                                     QueueProperties queues) {
        return new DocumentTopology(
                new ExtractionStep(uploads, texts, new TikaTextExtractor(properties.extraction().maxCharacters())),
                new ClassificationStep(loader, classifier),
                new NerStep(loader, recognizer, properties.ner().maxCharacters()),
                new IngestionStep(loader, documents, chunkJobPublisher, properties.ingestion().chunkCharacters()),
                queues).build();
    }
}
