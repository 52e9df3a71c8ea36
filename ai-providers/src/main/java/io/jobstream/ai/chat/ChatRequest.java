package io.jobstream.ai.chat;

import java.util.List;
import java.util.Objects;

/**
 * @param instructions the system prompt
 * @param history      earlier turns, oldest first
 * @param message      the user's new message
 * @param tools        what the model may call
 */
public record ChatRequest(String instructions, List<ChatTurn> history, String message, List<ChatTool> tools) {

    public ChatRequest {
        Objects.requireNonNull(message, "message");
        history = List.copyOf(history);
        tools = List.copyOf(tools);
    }
}
