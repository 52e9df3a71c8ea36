package io.jobstream.ai.chat;

/** Tokens one answer used over all its model calls. */
public record ChatUsage(int promptTokens, int completionTokens, int totalTokens) {

    public ChatUsage plus(ChatUsage other) {
        return new ChatUsage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                totalTokens + other.totalTokens);
    }
}
