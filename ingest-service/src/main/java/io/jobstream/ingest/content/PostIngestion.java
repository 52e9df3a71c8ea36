package io.jobstream.ingest.content;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.jobstream.core.content.TextHash;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.events.ContentIngested;
import io.jobstream.ingest.submit.UnfinishedJobs;
import io.jobstream.jobs.PostEmbeddingJob;
import io.jobstream.topics.TopicCatalog;

/**
 * Publishes scraped posts on content.posts (compacted by post id: the source of truth replays
 * re-embed), all in one Kafka transaction, so a failed request leaves nothing behind. The
 * embedding processor derives each post's job from the topic, as for a post any other producer
 * publishes; the answer names those jobs by their deterministic ids.
 */
@Service
class PostIngestion {

    private static final Logger log = LoggerFactory.getLogger(PostIngestion.class);

    private final JobPublisher publisher;
    private final UnfinishedJobs unfinished;

    PostIngestion(JobPublisher publisher, UnfinishedJobs unfinished) {
        this.publisher = publisher;
        this.unfinished = unfinished;
    }

    /**
     * @param jobIds     every post's embedding job, in order
     * @param duplicates the posts' jobs that were unfinished: the worker keeps each of those rather
     *                   than running the post's job again
     */
    record Ingested(List<String> jobIds, List<String> duplicates) {
    }

    Ingested ingest(List<ScrapedPost> posts) {
        Instant now = Instant.now();
        List<ContentIngested> records = new ArrayList<>(posts.size());
        List<String> jobIds = new ArrayList<>(posts.size());
        List<String> duplicates = new ArrayList<>();
        // Everything is built before the transaction opens: inside it, only Kafka may fail.
        for (ScrapedPost post : posts) {
            ContentIngested record = record(post, now);
            records.add(record);
            String jobId = PostEmbeddingJob.jobId(post.postId());
            jobIds.add(jobId);
            if (unfinished.find(jobId).isPresent()) {
                duplicates.add(jobId);
            }
        }
        publisher.inTransaction(batch ->
                records.forEach(record -> batch.publish(TopicCatalog.CONTENT_POSTS, record.getPostId(), record)));
        log.info("posts ingested posts={} alreadyUnfinished={} firstJobId={}",
                records.size(), duplicates.size(), jobIds.getFirst());
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
