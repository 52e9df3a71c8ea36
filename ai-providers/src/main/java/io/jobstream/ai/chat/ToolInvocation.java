package io.jobstream.ai.chat;

/** One tool call the agent made while answering: what it asked and what it got. */
public record ToolInvocation(String name, String arguments, String output) {
}
