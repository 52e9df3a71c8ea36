package io.jobstream.thumbnails;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;

import io.jobstream.core.queue.JobWorker;
import io.jobstream.core.retry.TransientJobException;
import io.jobstream.core.streams.PipelineAutoConfiguration;
import tools.jackson.databind.JsonNode;

/**
 * A processor service as a team would write one for a queue of its own: the queue is declared in
 * configuration only ({@code jobstream.queues.thumbnails}), and this is its one handler bean.
 */
@SpringBootConfiguration
@ImportAutoConfiguration(PipelineAutoConfiguration.class)
/* Outside io.jobstream.ingest, so ingest-service's component scan in the same test JVM does not pick it up. */
public class ThumbnailWorker {

    /** Names of the images of every attempt, failed ones included, in the order they started. */
    public static final List<String> ATTEMPTED = new CopyOnWriteArrayList<>();
    /** Names of the images handled, in the order they ran. */
    public static final List<String> HANDLED = new CopyOnWriteArrayList<>();
    /** Jobs with {@code failUntilHealed} fail (transiently) until this is set. */
    public static final AtomicBoolean HEALED = new AtomicBoolean();

    @Bean
    JobWorker<JsonNode> thumbnails() {
        return JobWorker.json("thumbnails", job -> {
            JsonNode data = job.data();
            ATTEMPTED.add(data.path("image").asString("none"));
            if (data.path("failTimes").asInt(0) >= job.attempt()) {
                throw new TransientJobException("renderer busy (attempt " + job.attempt() + ")");
            }
            if (data.path("failUntilHealed").asBoolean(false) && !HEALED.get()) {
                throw new TransientJobException("renderer down");
            }
            String image = data.path("image").asString("none");
            job.log("resizing " + image);
            HANDLED.add(image);
            return Map.of("thumbnail", image + ".thumb.png", "attempt", job.attempt());
        });
    }
}
