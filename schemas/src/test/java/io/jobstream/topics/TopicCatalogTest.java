package io.jobstream.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TopicCatalogTest {

    private static final Set<String> COMPACTED = Set.of(TopicCatalog.CONTENT_POSTS, TopicCatalog.JOB_SCHEDULES, TopicCatalog.JOB_CONTROL,
            TopicCatalog.PRODUCTS);

    static List<QueueTopics> queues() {
        return TopicCatalog.QUEUES;
    }

    @Test
    void namesEveryTopicOnce() {
        assertThat(names()).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queues")
    void givesEachQueueItsRequestRetryAndDeadLetterTopics(QueueTopics queue) {
        String q = queue.queue();
        assertThat(queue.requests()).isEqualTo(q + ".requests");
        assertThat(queue.retry()).isEqualTo(q + ".requests.retry");
        assertThat(queue.deadLetters()).isEqualTo(q + ".requests.dlq");
        assertThat(names()).contains(queue.requests(), queue.retry(), queue.deadLetters());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queues")
    void sendsDeadLettersOfAQueueTopicToThatQueuesDlq(QueueTopics queue) {
        assertThat(List.of(queue.requests(), queue.retry(), queue.deadLetters())).allSatisfy(topic ->
                assertThat(TopicCatalog.deadLetterTopicFor(topic)).as(topic).isEqualTo(queue.deadLetters()));
    }

    @Test
    void sendsDeadLettersOfEveryOtherTopicToTheSharedDlq() {
        Set<String> queueTopics = TopicCatalog.QUEUES.stream()
                .flatMap(queue -> queue.specs().stream())
                .map(TopicSpec::name)
                .collect(Collectors.toSet());
        List<String> others = names().stream().filter(name -> !queueTopics.contains(name)).toList();
        // A Kafka Streams internal topic is not in the catalog but can still hold an unreadable record.
        String internalTopic = "ingest-service-job-status-changelog";

        assertThat(others).contains(TopicCatalog.JOB_EVENTS, TopicCatalog.CONTENT_POSTS);
        assertThat(others).allSatisfy(topic ->
                assertThat(TopicCatalog.deadLetterTopicFor(topic)).as(topic).isEqualTo(TopicCatalog.JOBS_DEAD_LETTERS));
        assertThat(TopicCatalog.deadLetterTopicFor(internalTopic)).isEqualTo(TopicCatalog.JOBS_DEAD_LETTERS);
    }

    @Test
    void compactsTheKeyedSourcesOfTruth() {
        Map<String, TopicSpec> specs = specsByName();

        assertThat(COMPACTED).allSatisfy(topic -> assertThat(specs.get(topic).configs()).as(topic)
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    @Test
    void expiresEveryOtherTopicAfterItsRetention() {
        List<TopicSpec> logs = TopicCatalog.all().stream().filter(spec -> !COMPACTED.contains(spec.name())).toList();

        assertThat(logs).allSatisfy(spec -> {
            assertThat(spec.configs()).as(spec.name())
                    .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
            assertThat(Long.parseLong(spec.configs().get(TopicConfig.RETENTION_MS_CONFIG))).as(spec.name()).isPositive();
        });
    }

    private static List<String> names() {
        return TopicCatalog.all().stream().map(TopicSpec::name).toList();
    }

    private static Map<String, TopicSpec> specsByName() {
        return TopicCatalog.all().stream().collect(Collectors.toMap(TopicSpec::name, Function.identity()));
    }
}
