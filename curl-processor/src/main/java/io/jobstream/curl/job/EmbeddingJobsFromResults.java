package io.jobstream.curl.job;

import java.time.Instant;
import java.util.Map;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.avro.AvroSerde;
import io.jobstream.core.content.TextHash;
import io.jobstream.core.database.DatabaseOutages;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobHeaders;
import io.jobstream.core.job.JobMetadata;
import io.jobstream.core.retry.RetryPolicy;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.events.JobEvent;
import io.jobstream.events.JobState;
import io.jobstream.jobs.CurlJobs;
import io.jobstream.store.api.ApiResource;
import io.jobstream.store.api.ApiResourceRepository;
import io.jobstream.topics.TopicCatalog;

/**
 * Queues each resource's embedding job from its curl job's COMPLETED event, so that "resources and
 * their embedding jobs in one transaction" holds through any crash:
 *
 * <pre>
 *   curl job: api_resources rows replaced (one DB transaction, keyed by job) ─► COMPLETED
 *             (the worker's Kafka Streams exactly-once transaction, with the request's offset)
 *   jobs.events COMPLETED (curl-generation) ─► this processor ─► embeddings-generation.requests + QUEUED events
 *             (one exactly-once transaction with the event's offset)
 * </pre>
 *
 * A crash before COMPLETED re-runs the curl job, which replaces its rows: nothing was queued yet. A
 * crash after it replays the event only if the derived jobs were not committed with its offset. So
 * each COMPLETED run yields its embedding jobs exactly once, none lost, none doubled. The handler
 * publishing the jobs itself (a second transaction before COMPLETED) would queue them again after a
 * crash between the two, and the embedding worker drops a duplicate id only while the first is unfinished.
 */
public final class EmbeddingJobsFromResults {

    private static final Logger log = LoggerFactory.getLogger(EmbeddingJobsFromResults.class);
    private static final String NAME = "curl-embedding-jobs";

    private EmbeddingJobsFromResults() {
    }

    public static StreamsBuilder addTo(StreamsBuilder builder, ApiResourceRepository resources) {
        builder.stream(TopicCatalog.JOB_EVENTS, Consumed.with(Serdes.String(), AvroSerde.of(JobEvent.class)).withName(NAME + "-events"))
                .filter((jobId, event) -> event != null && event.getState() == JobState.COMPLETED
                        && CurlJobs.CURL_GENERATION.queue().equals(event.getQueue()), Named.as(NAME + "-completed"))
                .process(() -> new Deriver(resources), Named.as(NAME))
                .to((key, outgoing, context) -> outgoing.topic(), Produced.with(Serdes.String(),
                        Serdes.serdeFrom((Serializer<Outgoing>) (topic, outgoing) -> outgoing.value(), (topic, bytes) -> {
                            throw new UnsupportedOperationException("write only");
                        })).withName(NAME + "-out"));
        return builder;
    }

    /** A record for {@code topic}: an embedding job's request, or its QUEUED event. */
    record Outgoing(String topic, byte[] value) {
    }

    private static final class Deriver implements Processor<String, JobEvent, String, Outgoing> {

        private static final Serializer<EmbeddingRequested> REQUESTS = AvroSerde.of(EmbeddingRequested.class).serializer();
        private static final Serializer<JobEvent> EVENTS = AvroSerde.of(JobEvent.class).serializer();

        private final ApiResourceRepository resources;
        private ProcessorContext<String, Outgoing> context;

        Deriver(ApiResourceRepository resources) {
            this.resources = resources;
        }

        @Override
        public void init(ProcessorContext<String, Outgoing> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, JobEvent> record) {
            JobEvent completed = record.value();
            // A flow's parent completes too; it has no rows of its own, so it yields nothing.
            var rows = DatabaseOutages.waitOut("read resources of " + completed.getJobId(),
                    () -> resources.byJob(completed.getJobId()));
            Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
            for (ApiResource row : rows) {
                queue(row, completed.getTraceId(), now);
            }
            if (!rows.isEmpty()) {
                log.info("embedding jobs queued jobId={} resources={}", completed.getJobId(), rows.size());
            }
        }

        private void queue(ApiResource resource, String traceId, Instant now) {
            String jobId = CurlJobs.embeddingJobId(resource.resourceId());
            String text = resource.embeddingText();
            EmbeddingRequested request = EmbeddingRequested.newBuilder()
                    .setJobId(jobId)
                    .setEntityType(CurlJobs.ENTITY_TYPE)
                    .setEntityId(resource.resourceId())
                    .setText(text)
                    .setTextHash(TextHash.of(text))
                    .setTriggeredBy("curl:" + resource.jobId())
                    .setMetadata(Map.of("pageUrl", resource.pageUrl(), "method", resource.method(), "endpoint", resource.endpoint()))
                    .build();
            // As JobPublisher submits a job: its metadata in headers, the queue's own attempt limit.
            JobMetadata metadata = new JobMetadata(jobId, CurlJobs.EMBEDDING_JOB_TYPE, 1, RetryPolicy.DEFAULT.attempts(), now,
                    traceId, resource.jobId(), null);
            RecordHeaders headers = new RecordHeaders();
            metadata.writeTo(headers);
            headers.remove(JobHeaders.MAX_ATTEMPTS);
            String requests = CurlJobs.EMBEDDINGS_GENERATION.requests();
            context.forward(new Record<>(jobId, new Outgoing(requests, REQUESTS.serialize(requests, request)), now.toEpochMilli(), headers));
            JobEvent queued = JobEvents.queued(CurlJobs.EMBEDDINGS_GENERATION.queue(), metadata, request.toString(), now);
            context.forward(new Record<>(jobId, new Outgoing(TopicCatalog.JOB_EVENTS, EVENTS.serialize(TopicCatalog.JOB_EVENTS, queued)),
                    now.toEpochMilli()));
        }
    }
}
