package io.jobstream.agent.chat;

import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.agent.session.SessionHistory;
import io.jobstream.ai.chat.ChatAnswer;
import io.jobstream.ai.chat.ChatProvider;
import io.jobstream.ai.chat.ChatRequest;
import io.jobstream.ai.chat.ChatTool;
import io.jobstream.ai.chat.ChatTurn;
import io.jobstream.core.job.Job;
import io.jobstream.core.job.JobHandler;
import io.jobstream.core.ratelimit.RateLimiter;
import io.jobstream.events.ChatCompleted;
import io.jobstream.events.ChatRequested;
import io.jobstream.events.TokenUsage;
import io.jobstream.events.ToolCall;

/**
 * The agent.chat queue's worker: one message answered by the agent (the chat provider with the
 * knowledge-search and calculator tools), with the conversation so far: the history the client sent,
 * else the session's history from the session store.
 */
public final class ChatJobHandler implements JobHandler<ChatRequested, ChatCompleted> {

    private static final Logger log = LoggerFactory.getLogger(ChatJobHandler.class);

    private final ChatProvider provider;
    private final List<ChatTool> tools;
    private final SessionHistory sessions;
    private final RateLimiter limiter;
    private final String bucket;
    private final String instructions;
    private final int historyTurns;

    public ChatJobHandler(ChatProvider provider, List<ChatTool> tools, SessionHistory sessions, RateLimiter limiter,
                          String bucket, String instructions, int historyTurns) {
        this.provider = provider;
        this.tools = List.copyOf(tools);
        this.sessions = sessions;
        this.limiter = limiter;
        this.bucket = bucket;
        this.instructions = instructions;
        this.historyTurns = historyTurns;
    }

    @Override
    public ChatCompleted handle(Job<ChatRequested> job) {
        long started = System.nanoTime();
        ChatRequested request = job.data();
        limiter.takeForJob(bucket);
        List<ChatTurn> history = request.getHistory().isEmpty()
                ? sessions.of(request.getSessionId())
                : request.getHistory().stream().map(m -> new ChatTurn(m.getRole(), m.getContent())).toList();
        history = history.subList(Math.max(0, history.size() - historyTurns), history.size());
        // One progress step: the model call is where the time goes; every event is work for every reader of jobs.events.
        job.progress(20, "asking " + provider.name());
        ChatAnswer answer = provider.answer(new ChatRequest(instructions, history, request.getMessage(), tools));
        long millis = (System.nanoTime() - started) / 1_000_000;
        log.info("chat answered jobId={} sessionId={} provider={} toolCalls={} historyTurns={} millis={}",
                job.id(), request.getSessionId(), answer.provider(), answer.toolCalls().size(), history.size(), millis);
        return ChatCompleted.newBuilder()
                .setJobId(job.id())
                .setSessionId(request.getSessionId())
                .setMessage(request.getMessage())
                .setResponse(answer.response())
                .setProvider(answer.provider())
                .setToolCalls(answer.toolCalls().stream()
                        .map(call -> new ToolCall(call.name(), call.arguments(), call.output())).toList())
                .setUsage(answer.usage() == null ? null : new TokenUsage(answer.usage().promptTokens(),
                        answer.usage().completionTokens(), answer.usage().totalTokens()))
                .setProcessingTimeMs(millis)
                .setCompletedAt(Instant.now())
                .setParentJobId(request.getParentJobId())
                .setBatchIndex(request.getBatchIndex())
                .build();
    }
}
