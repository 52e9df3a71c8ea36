package io.jobstream.ingest.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.jobstream.core.flow.FlowIds;
import io.jobstream.core.flow.Flows;
import io.jobstream.core.job.JobPublisher;
import io.jobstream.core.job.JobSubmission;
import io.jobstream.core.job.SubmittedJob;
import io.jobstream.events.ChatMessage;
import io.jobstream.events.ChatRequested;
import io.jobstream.topics.TopicCatalog;
import tools.jackson.databind.json.JsonMapper;

/**
 * Adds chat jobs to the agent.chat queue, keyed by session id (one session's messages run in
 * order), and batch jobs as flows: a parent and one chat child per message.
 */
@Service
public class AgentJobs {

    public static final String CHAT = "chat";
    public static final String BATCH_CHAT = "batch-chat";
    private static final Logger log = LoggerFactory.getLogger(AgentJobs.class);

    private final JobPublisher publisher;
    private final JsonMapper json;

    public AgentJobs(JobPublisher publisher, JsonMapper json) {
        this.publisher = publisher;
        this.json = json;
    }

    public SubmittedJob chat(ChatMessageInput input) {
        String jobId = UUID.randomUUID().toString();
        SubmittedJob job = publisher.submit(TopicCatalog.AGENT_CHAT, submission(jobId, input, null));
        log.info("chat job submitted jobId={} userId={} historyTurns={}", jobId, input.userId(), input.history().size());
        return job;
    }

    public SubmittedJob batch(List<ChatMessageInput> messages, String userId) {
        String parentId = UUID.randomUUID().toString();
        List<JobSubmission<ChatRequested>> children = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            children.add(submission(FlowIds.child(parentId, i), messages.get(i), i));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("messages", messages.stream().map(AgentJobs::dataOf).toList());
        data.put("userId", userId);
        SubmittedJob parent = Flows.submit(publisher, TopicCatalog.AGENT_CHAT, parentId, BATCH_CHAT,
                json.writeValueAsString(data), children);
        log.info("batch chat job submitted jobId={} messages={} userId={}", parentId, messages.size(), userId);
        return parent;
    }

    private JobSubmission<ChatRequested> submission(String jobId, ChatMessageInput input, Integer batchIndex) {
        String sessionId = input.sessionId() != null ? input.sessionId() : "session_" + UUID.randomUUID();
        ChatRequested payload = ChatRequested.newBuilder()
                .setJobId(jobId)
                .setSessionId(sessionId)
                .setUserId(input.userId())
                .setMessage(input.message())
                .setHistory(input.history().stream().map(turn -> new ChatMessage(turn.role(), turn.content())).toList())
                .setMetadata(input.metadata())
                .setBatchIndex(batchIndex)
                .build();
        Map<String, Object> data = dataOf(input);
        data.put("sessionId", sessionId);
        return JobSubmission.of(jobId, CHAT, payload)
                .withKey(sessionId)
                .withData(json.writeValueAsString(data));
    }

    /** The job's data as seed 001's status shows it: what the client sent. */
    private static Map<String, Object> dataOf(ChatMessageInput input) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("message", input.message());
        if (input.sessionId() != null) {
            data.put("sessionId", input.sessionId());
        }
        if (input.userId() != null) {
            data.put("userId", input.userId());
        }
        if (!input.history().isEmpty()) {
            data.put("conversationHistory", input.history());
        }
        if (!input.metadata().isEmpty()) {
            data.put("metadata", input.metadata());
        }
        return data;
    }
}
