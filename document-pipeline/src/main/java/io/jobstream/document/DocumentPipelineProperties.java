package io.jobstream.document;

import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.jobstream.document.ner.CrfEntityRecognizer;

/**
 * The document steps' settings ({@code jobstream.documents.*}); each step's concurrency and retries
 * are its queue's ({@code jobstream.queues[document.ner].concurrency}).
 */
@ConfigurationProperties("jobstream.documents")
public record DocumentPipelineProperties(@DefaultValue Extraction extraction, @DefaultValue Classification classification,
                                         @DefaultValue Ner ner, @DefaultValue Ingestion ingestion) {

    /** @param maxCharacters text beyond this is not extracted */
    public record Extraction(@DefaultValue("5000000") int maxCharacters) {
    }

    /**
     * @param provider       {@code zero-shot} (offline, the embedding model) or {@code openai} (structured
     *                       output from the chat model configured under {@code jobstream.chat.openai})
     * @param labels         label to a description of what documents under it are about
     * @param chunkCharacters the document is embedded in chunks of this size (zero-shot)
     * @param maxChunks      how many leading chunks make up the document's embedding (zero-shot)
     * @param maxCharacters  the leading characters sent to the chat model (openai)
     */
    public record Classification(@DefaultValue("zero-shot") String provider, @DefaultValue Map<String, String> labels,
                                 @DefaultValue("1000") int chunkCharacters, @DefaultValue("8") int maxChunks,
                                 @DefaultValue("20000") int maxCharacters) {

        public Classification {
            if (!List.of("zero-shot", "openai").contains(provider)) {
                throw new IllegalArgumentException("jobstream.documents.classification.provider must be zero-shot or openai, got "
                        + provider);
            }
        }
    }

    /**
     * @param provider      {@code crf} (offline, CoreNLP) or {@code openai} (structured output from the chat
     *                      model configured under {@code jobstream.chat.openai})
     * @param models        the CRF models (classpath resources of the CoreNLP models jar, or files),
     *                      combined in order: an earlier model's entity wins an overlap
     * @param maxCharacters entities are looked for in this many leading characters
     */
    public record Ner(@DefaultValue("crf") String provider,
                      @DefaultValue({CrfEntityRecognizer.ALL_3_CLASS, CrfEntityRecognizer.MUC_7_CLASS}) List<String> models,
                      @DefaultValue("200000") int maxCharacters) {

        public Ner {
            if (!List.of("crf", "openai").contains(provider)) {
                throw new IllegalArgumentException("jobstream.documents.ner.provider must be crf or openai, got " + provider);
            }
        }
    }

    /**
     * @param chunkCharacters size of the chunks sent to the embedding queue
     * @param publisherPoolSize transactional producers submitting chunk embedding jobs
     */
    public record Ingestion(@DefaultValue("1000") int chunkCharacters, @DefaultValue("2") int publisherPoolSize) {
    }
}
