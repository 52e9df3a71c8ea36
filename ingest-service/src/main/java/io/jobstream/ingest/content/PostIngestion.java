package io.jobstream.ingest.content;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.jobstream.core.content.TextHash;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.events.ContentIngested;
import io.jobstream.events.EmbeddingRequested;
import io.jobstream.ingest.embedding.EmbeddingJob;
import io.jobstream.ingest.embedding.EmbeddingJobs;
import io.jobstream.ingest.submit.UnfinishedJobs;
import io.jobstream.topics.TopicCatalog;

/**
 * Publishes scraped posts on content.posts (compacted by post id: the source of truth replays
 * re-embed) and queues each post's embedding, all in one Kafka transaction: a post is never on the
 * topic without its job, and a failed request leaves nothing behind.
 */
@Service
class PostIngestion {

    static final String TRIGGERED_BY = "webhook";

    private static final Logger log = LoggerFactory.getLogger(PostIngestion.class);

    private final JobPublisher publisher;
    private final EmbeddingJobs embeddingJobs;
    private final UnfinishedJobs unfinished;

    PostIngestion(JobPublisher publisher, EmbeddingJobs embeddingJobs, UnfinishedJobs unfinished) {
        this.publisher = publisher;
        this.embeddingJobs = embeddingJobs;
        this.unfinished = unfinished;
    }

    /**
     * @param jobIds     every post's embedding job, in order
     * @param duplicates the posts' jobs that were unfinished and so kept rather than added again
     */
    record Ingested(List<String> jobIds, List<String> duplicates) {
    }

    Ingested ingest(List<ScrapedPost> posts) {
        Instant now = Instant.now();
        List<ContentIngested> records = new ArrayList<>(posts.size());
        List<JobSubmission<EmbeddingRequested>> jobs = new ArrayList<>(posts.size());
        List<String> jobIds = new ArrayList<>(posts.size());
        List<String> duplicates = new ArrayList<>();
        // Everything is built before the transaction opens: inside it, only Kafka may fail.
        for (ScrapedPost post : posts) {
            ContentIngested record = record(post, now);
            records.add(record);
            EmbeddingJob job = EmbeddingJob.forPost(post.postId(), post.text(), record.getTextHash(), TRIGGERED_BY);
            jobIds.add(job.jobId());
            if (unfinished.find(job.jobId()).isPresent()) {
                duplicates.add(job.jobId());
            } else {
                jobs.add(embeddingJobs.submission(job));
            }
        }
        publisher.inTransaction(batch -> {
            records.forEach(record -> batch.publish(TopicCatalog.CONTENT_POSTS, record.getPostId(), record));
            jobs.forEach(job -> batch.submit(TopicCatalog.EMBEDDING, job));
        });
        log.info("posts ingested posts={} jobsSubmitted={} alreadyUnfinished={} firstJobId={}",
                records.size(), jobs.size(), duplicates.size(), jobIds.getFirst());
        duplicates.forEach(jobId -> log.info("post re-ingested while its embedding job is unfinished, job kept jobId={}", jobId));
        return new Ingested(jobIds, duplicates);
    }

    private static ContentIngested record(ScrapedPost post, Instant now) {
        return ContentIngested.newBuilder()
                .setPostId(post.postId())
                .setUrl(post.url())
                .setTitle(post.title())
                .setText(post.text())
                .setAuthor(post.author())
                .setSource(post.source())
                .setPublishedAt(post.publishedAt())
                .setScrapedAt(post.scrapedAt())
                .setIngestedAt(now)
                .setTextHash(TextHash.of(post.text()))
                .setMetadata(post.metadata())
                .build();
    }
}
