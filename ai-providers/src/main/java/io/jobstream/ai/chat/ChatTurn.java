package io.jobstream.ai.chat;

import java.util.Objects;

/** One message of a conversation: {@code user} or {@code assistant}, and what was said. */
public record ChatTurn(String role, String content) {

    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    public ChatTurn {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public boolean fromUser() {
        return USER.equals(role);
    }
}
