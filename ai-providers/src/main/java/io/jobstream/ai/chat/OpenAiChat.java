package io.jobstream.ai.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.errors.OpenAIException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;

import io.jobstream.ai.embedding.OpenAiFailures;
import io.jobstream.core.retry.PermanentJobException;

/**
 * Chat completions with tool calling from OpenAI or any OpenAI-compatible server, through the
 * official {@code openai-java} SDK. The tool loop is bounded: after {@code maxToolRounds} rounds of
 * tool calls the model is asked once more with tools disabled, so it answers with what it has.
 *
 * <p>The SDK's retries are off ({@code maxRetries(0)}): 429 (with its Retry-After), 5xx and
 * timeouts fail the attempt and the queue's retry topic schedules the next one. SDK types stay in
 * this class (they carry Jackson 2); callers get plain records.
 */
public final class OpenAiChat implements ChatProvider {

    public static final String PROVIDER = "openai";
    private static final Logger log = LoggerFactory.getLogger(OpenAiChat.class);

    private final OpenAIClient client;
    private final String model;
    private final int maxToolRounds;
    private final String endpoint;

    public OpenAiChat(ChatProperties.OpenAi settings, int maxToolRounds) {
        OpenAiChatClient openAi = OpenAiChatClient.of(settings, "for the OpenAI chat provider");
        this.client = openAi.client();
        this.model = openAi.model();
        this.maxToolRounds = maxToolRounds;
        this.endpoint = openAi.endpoint();
        log.info("openai chat configured model={} baseUrl={} maxToolRounds={}", model, openAi.baseUrl(), maxToolRounds);
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
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model(model);
        if (request.instructions() != null && !request.instructions().isBlank()) {
            params.addSystemMessage(request.instructions());
        }
        for (ChatTurn turn : request.history()) {
            if (turn.fromUser()) {
                params.addUserMessage(turn.content());
            } else {
                params.addAssistantMessage(turn.content());
            }
        }
        params.addUserMessage(request.message());
        request.tools().forEach(tool -> params.addTool(definition(tool)));

        List<ToolInvocation> invocations = new ArrayList<>();
        ChatUsage usage = new ChatUsage(0, 0, 0);
        for (int round = 0; ; round++) {
            boolean toolsAllowed = !tools.isEmpty() && round < maxToolRounds;
            if (!tools.isEmpty() && !toolsAllowed) {
                params.toolChoice(ChatCompletionToolChoiceOption.Auto.NONE);
            }
            ChatCompletion completion = call(params.build());
            usage = completion.usage()
                    .map(u -> new ChatUsage((int) u.promptTokens(), (int) u.completionTokens(), (int) u.totalTokens()))
                    .map(usage::plus)
                    .orElse(usage);
            if (completion.choices().isEmpty()) {
                throw new PermanentJobException(endpoint + " returned no choices");
            }
            ChatCompletionMessage message = completion.choices().getFirst().message();
            List<ChatCompletionMessageFunctionToolCall> calls = message.toolCalls().orElse(List.of()).stream()
                    .filter(ChatCompletionMessageToolCall::isFunction)
                    .map(ChatCompletionMessageToolCall::asFunction)
                    .toList();
            if (calls.isEmpty() || !toolsAllowed) {
                return new ChatAnswer(message.content().orElse(""), PROVIDER, completion.model(), invocations, usage);
            }
            params.addMessage(message);
            for (ChatCompletionMessageFunctionToolCall call : calls) {
                ToolInvocation invocation = invoke(tools, call.function().name(), call.function().arguments());
                invocations.add(invocation);
                params.addMessage(ChatCompletionToolMessageParam.builder()
                        .toolCallId(call.id())
                        .content(invocation.output())
                        .build());
            }
        }
    }

    private ChatCompletion call(ChatCompletionCreateParams params) {
        try {
            ChatCompletion completion = client.chat().completions().create(params);
            // Parsing is lazy in the SDK: validate inside the try so a malformed answer is classified too.
            return completion.validate();
        } catch (OpenAIException e) {
            throw OpenAiFailures.classify(e, endpoint);
        }
    }

    private static ToolInvocation invoke(Map<String, ChatTool> tools, String name, String arguments) {
        ChatTool tool = tools.get(name);
        String output = tool == null ? "error: no tool named " + name + "; available: " + tools.keySet() : tool.call(arguments);
        return new ToolInvocation(name, arguments, output);
    }

    private static ChatCompletionFunctionTool definition(ChatTool tool) {
        FunctionParameters.Builder parameters = FunctionParameters.builder();
        tool.parameters().forEach((key, value) -> parameters.putAdditionalProperty(key, JsonValue.from(value)));
        return ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder()
                        .name(tool.name())
                        .description(tool.description())
                        .parameters(parameters.build())
                        .build())
                .build();
    }

    @Override
    public void close() {
        client.close();
    }
}
