package io.jobstream.agent.chat;

import java.util.LinkedHashMap;
import java.util.Map;

import io.jobstream.events.ChatCompleted;
import tools.jackson.databind.json.JsonMapper;

/**
 * A chat job's return value as seed 001 shows it ({@code response, sessionId, processingTime,
 * timestamp}), plus which provider answered and the tool calls it made.
 */
public final class ChatResults {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ChatResults() {
    }

    public static String returnValue(ChatCompleted answer) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("response", answer.getResponse());
        result.put("sessionId", answer.getSessionId());
        result.put("processingTime", answer.getProcessingTimeMs());
        result.put("timestamp", answer.getCompletedAt().toString());
        result.put("provider", answer.getProvider());
        result.put("toolCalls", answer.getToolCalls().stream().map(call -> Map.of(
                "name", call.getName(), "arguments", call.getArguments(), "output", call.getOutput())).toList());
        if (answer.getUsage() != null) {
            result.put("usage", Map.of("promptTokens", answer.getUsage().getPromptTokens(),
                    "completionTokens", answer.getUsage().getCompletionTokens(),
                    "totalTokens", answer.getUsage().getTotalTokens()));
        }
        return JSON.writeValueAsString(result);
    }
}
