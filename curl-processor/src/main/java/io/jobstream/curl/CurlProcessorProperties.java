package io.jobstream.curl;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How curl-processor turns screenshots into documentation, e.g. {@code jobstream.curl.provider=openai}.
 * The OpenAI option uses the chat settings ({@code jobstream.chat.openai.*}: key, base URL, a
 * vision-capable model), so one key configures every OpenAI use.
 *
 * @param provider {@code ocr} (Tesseract, offline) or {@code openai} (a vision model)
 */
@ConfigurationProperties("jobstream.curl")
public record CurlProcessorProperties(@DefaultValue("ocr") Provider provider, @DefaultValue Ocr ocr) {

    public enum Provider { OCR, OPENAI }

    /**
     * @param command              Tesseract's executable
     * @param language             its trained data ({@code tesseract-ocr-eng} is {@code eng})
     * @param pageSegmentationMode Tesseract's {@code --psm}: 6 reads the page as one block, keeping each line whole
     * @param timeout              one screenshot's limit
     * @param lowConfidence        lines read below this mean word confidence (0-100) are listed in the job's result
     * @param threads              OpenMP threads per recognition: the queue's concurrency already runs several at once
     * @param minTextHeight        a screenshot whose words are lower than this (median, pixels) is read again
     *                             enlarged twice: Tesseract misreads small text; 0: never
     */
    public record Ocr(@DefaultValue("tesseract") String command, @DefaultValue("eng") String language,
                      @DefaultValue("6") int pageSegmentationMode, @DefaultValue("60s") Duration timeout,
                      @DefaultValue("80") double lowConfidence, @DefaultValue("1") int threads,
                      @DefaultValue("14") int minTextHeight) {
    }
}
