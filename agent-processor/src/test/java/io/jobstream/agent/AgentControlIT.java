package io.jobstream.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.jobstream.core.control.QueueControl;
import io.jobstream.core.job.JobEvents;
import io.jobstream.core.job.JobIntakeTopology;
import io.jobstream.core.job.JobMetadata;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.streams.ManagedStreams;
import io.jobstream.core.streams.StreamsProperties;
import io.jobstream.events.ChatRequested;
import io.jobstream.events.ControlCommand;
import io.jobstream.events.JobState;
import io.jobstream.test.Await;
import io.jobstream.test.KafkaBrokerExtension;
import io.jobstream.test.PostgresExtension;
import io.jobstream.test.openai.FakeOpenAiServer;
import io.jobstream.test.openai.FakeOpenAiServer.Reply;
import io.jobstream.topics.TopicCatalog;

/**
 * Two agent-processor instances sharing the chat queue's partitions, each with its own model
 * server, controlled cluster-wide through jobs.control as the admin API does it: pause holds every
 * new job on both, resume runs them on both; a cancelled waiting job never runs and a cancelled
 * running one is abandoned.
 */
class AgentControlIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final String QUEUE = TopicCatalog.AGENT_CHAT.queue();

    @TempDir
    static Path dataDirA;

    @TempDir
    static Path dataDirB;

    @TempDir
    static Path intakeDir;

    static FakeOpenAiServer modelA;
    static FakeOpenAiServer modelB;
    static AgentProcessorInstance instanceA;
    static AgentProcessorInstance instanceB;
    static JobPublisher publisher;
    /** Writes single adds' QUEUED events, as ingest-service does in a deployment. */
    static ManagedStreams intake;
    static AgentJobEvents events;

    @BeforeAll
    static void start() {
        modelA = new FakeOpenAiServer(8, true);
        modelB = new FakeOpenAiServer(8, true);
        instanceA = start(dataDirA, modelA);
        instanceB = start(dataDirB, modelB);
        publisher = new JobPublisher(kafka.bootstrapServers(), "agent-control-test", 1);
        intake = new ManagedStreams(new JobIntakeTopology(List.of(TopicCatalog.AGENT_CHAT)).addTo(new Topology()),
                new StreamsProperties(kafka.bootstrapServers(), "agent-control-intake", "", intakeDir, 0,
                        StreamsProperties.DEFAULT_COMMIT_INTERVAL, 1, Duration.ofSeconds(10)),
                TopicCatalog.all(List.of(TopicCatalog.AGENT_CHAT)));
        intake.start();
        events = new AgentJobEvents(kafka.bootstrapServers());
        Await.until(Duration.ofSeconds(90), "both instances running chat partitions", () -> instanceA.isRunning()
                && instanceB.isRunning() && instanceA.ownsChatPartitions() && instanceB.ownsChatPartitions());
    }

    private static AgentProcessorInstance start(Path dataDir, FakeOpenAiServer model) {
        return AgentProcessorInstance.start(kafka, postgres, dataDir,
                "--jobstream.chat.openai.api-key=test-key",
                "--jobstream.chat.openai.base-url=" + model.baseUrl());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        events.close();
        intake.stop();
        publisher.close();
        instanceB.close();
        instanceA.close();
        modelA.close();
        modelB.close();
    }

    @AfterEach
    void resume() {
        command(QueueControl.resume(QUEUE, Instant.now()));
    }

    @Test
    void pauseHoldsJobsOnBothInstancesAndResumeRunsThemOnBoth() throws InterruptedException {
        command(QueueControl.pause(QUEUE, Instant.now()));
        Await.until(AgentJobEvents.WAIT, "both instances paused", () -> instanceA.seesPaused(QUEUE) && instanceB.seesPaused(QUEUE));
        int requestsBefore = modelA.chatRequests().size() + modelB.chatRequests().size();
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            jobs.add(chat("paused-session-" + i, "held question " + i));
        }
        Await.until(AgentJobEvents.WAIT, "the jobs queued", () -> jobs.stream().allMatch(id -> !events.of(id).isEmpty()));

        Thread.sleep(1_500);
        assertThat(jobs).allSatisfy(id -> assertThat(events.states(id)).containsOnly(JobState.QUEUED));
        assertThat(modelA.chatRequests().size() + modelB.chatRequests().size()).isEqualTo(requestsBefore);

        command(QueueControl.resume(QUEUE, Instant.now()));
        jobs.forEach(id -> events.await(id, JobState.COMPLETED));
        assertThat(asked(modelA, "held question")).as("instance A ran some").isPositive();
        assertThat(asked(modelB, "held question")).as("instance B ran some").isPositive();
        assertThat(asked(modelA, "held question") + asked(modelB, "held question")).isEqualTo(12);
    }

    @Test
    void aCancelledWaitingJobNeverRunsAndACancelledRunningJobIsAbandoned() {
        command(QueueControl.pause(QUEUE, Instant.now()));
        Await.until(AgentJobEvents.WAIT, "both instances paused", () -> instanceA.seesPaused(QUEUE) && instanceB.seesPaused(QUEUE));
        String waiting = chat("cancel-session", "cancelled before it ran");
        Await.until(AgentJobEvents.WAIT, "the job queued", () -> !events.of(waiting).isEmpty());
        cancel(waiting);
        command(QueueControl.resume(QUEUE, Instant.now()));
        String next = chat("cancel-session", "asked after the cancelled one");
        events.await(next, JobState.COMPLETED);
        assertThat(events.states(waiting)).doesNotContain(JobState.ACTIVE, JobState.COMPLETED);
        assertThat(events.of(waiting)).as("no attempt started").allMatch(event -> JobEvents.startOf(event) == null);
        assertThat(asked(modelA, "cancelled before it ran") + asked(modelB, "cancelled before it ran")).isZero();

        modelA.replyWhenAsked("a very long answer", Reply.slow(Duration.ofSeconds(40)));
        modelB.replyWhenAsked("a very long answer", Reply.slow(Duration.ofSeconds(40)));
        String running = chat("abandon-session", "a very long answer please");
        events.await(running, JobState.ACTIVE);
        Await.until(AgentJobEvents.WAIT, "the model asked", () -> asked(modelA, "a very long answer")
                + asked(modelB, "a very long answer") == 1);
        cancel(running);

        // The same session's next message runs once the cancelled one is abandoned, long before its answer was due.
        String following = chat("abandon-session", "the message after the long one");
        events.await(following, JobState.COMPLETED);
        assertThat(events.states(running)).doesNotContain(JobState.COMPLETED, JobState.RETRY_SCHEDULED);
        Await.until(AgentJobEvents.WAIT, "the answer on agent.chat.responses", () -> !events.answers("abandon-session").isEmpty());
        assertThat(events.answers("abandon-session")).extracting(answer -> answer.getJobId()).containsExactly(following);
    }

    /** What the admin API's cancel publishes: the command every worker reads, and the job's CANCELLED. */
    private static void cancel(String jobId) {
        Instant now = Instant.now();
        KeyValue<String, ControlCommand> cancel = QueueControl.cancel(QUEUE, jobId, "cancelled by test", now);
        JobMetadata job = new JobMetadata(jobId, "chat", 1, 3, events.of(jobId).getFirst().getEnqueuedAt(), null, null, null);
        publisher.inTransaction(batch -> {
            batch.publish(TopicCatalog.JOB_CONTROL, cancel.key, cancel.value);
            batch.publish(TopicCatalog.JOB_EVENTS, jobId, JobEvents.cancelled(QUEUE, job, "cancelled by test", now));
        });
    }

    private static void command(KeyValue<String, ControlCommand> command) {
        publisher.inTransaction(batch -> batch.publish(TopicCatalog.JOB_CONTROL, command.key, command.value));
    }

    private static String chat(String sessionId, String message) {
        String jobId = "control-" + UUID.randomUUID();
        publisher.submit(TopicCatalog.AGENT_CHAT, JobSubmission.of(jobId, "chat", ChatRequested.newBuilder().setJobId(jobId)
                .setSessionId(sessionId).setMessage(message).build()).withKey(sessionId));
        return jobId;
    }

    private static long asked(FakeOpenAiServer model, String text) {
        return model.chatRequests().stream().filter(request -> request.toString().contains(text)).count();
    }
}
