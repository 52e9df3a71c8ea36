package io.jobstream.ai.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.jobstream.ai.chat.ChatCompletionJson.Completion;
import io.jobstream.ai.chat.ChatCompletionJson.Message;
import io.jobstream.ai.chat.ChatCompletionJson.Request;
import io.jobstream.ai.chat.ChatCompletionJson.Tool;
import io.jobstream.ai.chat.ChatCompletionJson.ToolCall;
import io.jobstream.core.retry.PermanentJobException;

/**
 * Chat completions with tool calling from OpenAI or any OpenAI-compatible server. The tool loop is
 * bounded: after {@code maxToolRounds} rounds of tool calls the model is asked once more with tools
 * disabled, so it answers with what it has.
 *
 * <p>The HTTP call is our own {@link ChatCompletionsClient}, not the openai-java SDK: the SDK's call
 * path took ~40 % of all CPU under bench-agent. No client-side retries: 429 (with its Retry-After),
 * 5xx and timeouts fail the attempt and the queue's retry topic schedules the next one.
 */
public final class OpenAiChat implements ChatProvider {

    public static final String PROVIDER = "openai";
    private static final Logger log = LoggerFactory.getLogger(OpenAiChat.class);

    private final ChatCompletionsClient client;
    private final String model;
    private final int maxToolRounds;
    private final String endpoint;

    public OpenAiChat(ChatProperties.OpenAi settings, int maxToolRounds) {
        OpenAiChatEndpoint openAi = OpenAiChatEndpoint.of(settings, "for the OpenAI chat provider");
        this.client = new ChatCompletionsClient(openAi);
        this.model = settings.model();
        this.maxToolRounds = maxToolRounds;
        this.endpoint = openAi.description();
        log.info("openai chat configured model={} baseUrl={} maxToolRounds={} timeoutMillis={}", model, openAi.baseUrl(),
                maxToolRounds, settings.timeout().toMillis());
    }

    @Override
    public String name() {
        return PROVIDER;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public ChatAnswer answer(ChatRequest request) {
        Map<String, ChatTool> tools = request.tools().stream().collect(Collectors.toMap(ChatTool::name, Function.identity()));
        List<Message> messages = new ArrayList<>();
        if (request.instructions() != null && !request.instructions().isBlank()) {
            messages.add(Message.of("system", request.instructions()));
        }
        for (ChatTurn turn : request.history()) {
            messages.add(Message.of(turn.fromUser() ? ChatTurn.USER : ChatTurn.ASSISTANT, turn.content()));
        }
        messages.add(Message.of(ChatTurn.USER, request.message()));
        List<Tool> definitions = tools.isEmpty() ? null : request.tools().stream().map(Tool::of).toList();

        List<ToolInvocation> invocations = new ArrayList<>();
        ChatUsage usage = new ChatUsage(0, 0, 0);
        for (int round = 0; ; round++) {
            boolean toolsAllowed = !tools.isEmpty() && round < maxToolRounds;
            String toolChoice = !tools.isEmpty() && !toolsAllowed ? "none" : null;
            Completion completion = client.create(new Request(model, messages, definitions, toolChoice));
            if (completion.usage() != null) {
                usage = usage.plus(completion.usage().toChatUsage());
            }
            if (completion.choices().isEmpty()) {
                throw new PermanentJobException(endpoint + " returned no choices");
            }
            Message message = completion.choices().getFirst().message();
            List<ToolCall> calls = message.functionCalls();
            if (calls.isEmpty() || !toolsAllowed) {
                return new ChatAnswer(Objects.requireNonNullElse(message.content(), ""), PROVIDER, completion.model(),
                        invocations, usage);
            }
            messages.add(message.asAssistantTurn());
            for (ToolCall call : calls) {
                ToolInvocation invocation = invoke(tools, call.function().name(), call.function().arguments());
                invocations.add(invocation);
                messages.add(Message.toolResult(call.id(), invocation.output()));
            }
        }
    }

    private static ToolInvocation invoke(Map<String, ChatTool> tools, String name, String arguments) {
        ChatTool tool = tools.get(name);
        String output = tool == null ? "error: no tool named " + name + "; available: " + tools.keySet() : tool.call(arguments);
        return new ToolInvocation(name, arguments, output);
    }

    @Override
    public void close() {
        client.close();
    }
}
