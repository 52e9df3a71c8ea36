package io.jobstream.ingest.collection;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.job.SubmittedJob;
import io.jobstream.events.CuratedCollectionsRequested;
import io.jobstream.ingest.api.BadRequestException;
import io.jobstream.ingest.api.JsonFields;
import io.jobstream.ingest.product.QueuedJob;
import io.jobstream.ingest.query.JobSnapshot;
import io.jobstream.ingest.submit.UnfinishedJobs;
import io.jobstream.jobs.ProductJobs;
import io.jobstream.store.product.CollectionRepository;
import io.jobstream.store.product.CuratedCollection;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.JsonNode;

/**
 * Seed 004's curated collections: read a surface's collections of a day, and
 * {@code scheduleDailyCuratedCollections}: one job per surface for a date, in one transaction.
 */
@RestController
public class CollectionController {

    /** Seed 004's surfaces, in the order its helper adds them. */
    static final List<String> SURFACES = List.of("home", "discovery", "occasion");
    private static final String TRIGGERED_BY = "api";

    private static final Logger log = LoggerFactory.getLogger(CollectionController.class);

    private final CollectionRepository collections;
    private final JobPublisher publisher;
    private final UnfinishedJobs unfinished;

    public CollectionController(CollectionRepository collections, JobPublisher publisher, UnfinishedJobs unfinished) {
        this.collections = collections;
        this.publisher = publisher;
        this.unfinished = unfinished;
    }

    public record Collection(int position, String title, List<String> keywords, List<String> productIds, String provider,
                             String jobId, Instant createdAt) {
    }

    public record Collections(boolean success, String surface, LocalDate date, int count, List<Collection> collections) {
    }

    public record SurfaceJob(String surface, QueuedJob job) {
    }

    public record Scheduled(boolean success, LocalDate date, List<SurfaceJob> jobs) {
    }

    @GetMapping("/api/collections")
    public Collections get(@RequestParam(required = false) String surface, @RequestParam(required = false) String date) {
        String checkedSurface = surface(surface);
        LocalDate day = date("date", date);
        List<Collection> found = collections.find(checkedSurface, day).stream().map(CollectionController::view).toList();
        return new Collections(true, checkedSurface, day, found.size(), found);
    }

    @PostMapping("/api/collections/schedule-daily")
    public ResponseEntity<Scheduled> scheduleDaily(@RequestBody(required = false) JsonNode body) {
        JsonFields fields = JsonFields.of(body);
        LocalDate day = date("date", fields.requiredText("date", 10));
        String triggeredBy = fields.text("triggeredBy", 200);
        List<JobSubmission<CuratedCollectionsRequested>> fresh = new ArrayList<>();
        List<Optional<JobSnapshot>> existing = new ArrayList<>();
        for (String surface : SURFACES) {
            String jobId = ProductJobs.collectionsJobId(surface, day.toString());
            Optional<JobSnapshot> unfinishedJob = unfinished.find(jobId);
            existing.add(unfinishedJob);
            if (unfinishedJob.isEmpty()) {
                fresh.add(JobSubmission.of(jobId, ProductJobs.COLLECTIONS_JOB_TYPE, CuratedCollectionsRequested.newBuilder()
                                .setSurface(surface)
                                .setDate(day.toString())
                                .setTriggeredBy(triggeredBy == null ? TRIGGERED_BY : triggeredBy)
                                .build())
                        .withPriority(ProductJobs.COLLECTIONS_PRIORITY));
            }
        }
        List<SubmittedJob> added = fresh.isEmpty() ? List.of() : publisher.submitAll(TopicCatalog.CURATED_COLLECTIONS, fresh);
        List<SurfaceJob> jobs = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < SURFACES.size(); i++) {
            QueuedJob job = existing.get(i).isPresent()
                    ? QueuedJob.existing(TopicCatalog.CURATED_COLLECTIONS.queue(), existing.get(i).get())
                    : QueuedJob.added(added.get(next++));
            jobs.add(new SurfaceJob(SURFACES.get(i), job));
        }
        log.info("daily curated collections scheduled date={} added={} alreadyUnfinished={}", day, added.size(),
                SURFACES.size() - added.size());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Scheduled(true, day, jobs));
    }

    private static String surface(String surface) {
        if (surface == null || surface.isBlank()) {
            throw new BadRequestException("surface", "is required: one of " + SURFACES);
        }
        if (!SURFACES.contains(surface)) {
            throw new BadRequestException("surface", "must be one of " + SURFACES + ", got '" + surface + "'");
        }
        return surface;
    }

    private static LocalDate date(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new BadRequestException(field, "is required: an ISO date (yyyy-MM-dd)");
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadRequestException(field, "must be an ISO date (yyyy-MM-dd), got '" + text + "'");
        }
    }

    private static Collection view(CuratedCollection c) {
        return new Collection(c.position(), c.title(), c.keywords(), c.productIds(), c.provider(), c.jobId(), c.createdAt());
    }
}
