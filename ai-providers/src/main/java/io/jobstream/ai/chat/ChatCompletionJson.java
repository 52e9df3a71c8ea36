package io.jobstream.ai.chat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The chat completions API's JSON, just the fields the agent sends and reads; names are snake_case on
 * the wire ({@link ChatCompletionsClient}'s mapper).
 */
final class ChatCompletionJson {

    static final String FUNCTION = "function";

    private ChatCompletionJson() {
    }

    /** @param toolChoice {@code "none"} once the tool rounds are used up, else unset */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Request(String model, List<Message> messages, List<Tool> tools, String toolChoice) {
    }

    /** {@code content} is sent even when null: an assistant message that only calls tools has {@code "content": null}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Message(String role, @JsonInclude(JsonInclude.Include.ALWAYS) String content, List<ToolCall> toolCalls,
                   String toolCallId) {

        static Message of(String role, String content) {
            return new Message(role, content, null, null);
        }

        static Message toolResult(String toolCallId, String output) {
            return new Message("tool", output, null, toolCallId);
        }

        /** This answer sent back as the conversation's assistant turn, before the results of its tool calls. */
        Message asAssistantTurn() {
            return new Message(ChatTurn.ASSISTANT, content, toolCalls, null);
        }

        List<ToolCall> functionCalls() {
            return toolCalls == null ? List.of() : toolCalls.stream().filter(call -> FUNCTION.equals(call.type())).toList();
        }

        boolean wellFormed() {
            return functionCalls().stream().allMatch(call -> call.id() != null && call.function() != null
                    && call.function().name() != null && call.function().arguments() != null);
        }
    }

    record Tool(String type, FunctionDefinition function) {

        static Tool of(ChatTool tool) {
            return new Tool(FUNCTION, new FunctionDefinition(tool.name(), tool.description(), tool.parameters()));
        }
    }

    record FunctionDefinition(String name, String description, Map<String, Object> parameters) {
    }

    record ToolCall(String id, String type, FunctionCall function) {
    }

    record FunctionCall(String name, String arguments) {
    }

    record Completion(String model, List<Choice> choices, Usage usage) {

        /** What the SDK's validation required of the fields read here; an answer without it is malformed. */
        boolean wellFormed() {
            return model != null && choices != null && choices.stream()
                    .allMatch(choice -> choice != null && choice.message() != null && choice.message().wellFormed());
        }
    }

    record Choice(Message message) {
    }

    record Usage(int promptTokens, int completionTokens, int totalTokens) {

        ChatUsage toChatUsage() {
            return new ChatUsage(promptTokens, completionTokens, totalTokens);
        }
    }
}
