package io.jobstream.ai.chat;

import java.util.List;

/**
 * @param response  the text for the user
 * @param provider  {@code openai}, or {@code local-retrieval} for the offline default
 * @param model     the model that answered
 * @param toolCalls every tool call made, in order
 * @param usage     tokens used, when the provider reports them (null otherwise)
 */
public record ChatAnswer(String response, String provider, String model, List<ToolInvocation> toolCalls, ChatUsage usage) {

    public ChatAnswer {
        toolCalls = List.copyOf(toolCalls);
    }
}
