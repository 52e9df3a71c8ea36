package io.jobstream.ai.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline default: no language model, no key, no network. It calls the same tools an LLM would
 * (the calculator for any arithmetic in the message, knowledge search for the message and, for a
 * follow-up, the previous question) and answers with the tool results and the top passages, labelled
 * {@code local-retrieval} so nobody mistakes it for a generated answer.
 */
public final class LocalRetrievalChat implements ChatProvider {

    public static final String PROVIDER = "local-retrieval";
    public static final String SEARCH_TOOL = "search_knowledge";
    public static final String CALCULATOR_TOOL = "calculator";

    /** Numbers joined by operators, with optional parentheses: "100000 / 0.10", "(2 + 3) * 4". */
    private static final Pattern ARITHMETIC = Pattern.compile(
            "[(\\s]*-?\\d+(?:\\.\\d+)?[)\\s]*(?:[-+*/^%][(\\s]*-?\\d+(?:\\.\\d+)?[)\\s]*)+");

    @Override
    public String name() {
        return PROVIDER;
    }

    @Override
    public String model() {
        return PROVIDER;
    }

    @Override
    public ChatAnswer answer(ChatRequest request) {
        List<ToolInvocation> calls = new ArrayList<>();
        StringBuilder answer = new StringBuilder();
        tool(request, CALCULATOR_TOOL).ifPresent(calculator -> arithmetic(request.message()).ifPresent(expression -> {
            ToolInvocation call = invoke(calculator, "{\"expression\": " + quote(expression) + "}");
            calls.add(call);
            answer.append("Calculation: ").append(expression).append(" = ").append(call.output()).append("\n\n");
        }));
        tool(request, SEARCH_TOOL).ifPresent(search -> {
            ToolInvocation call = invoke(search, "{\"query\": " + quote(searchQuery(request)) + "}");
            calls.add(call);
            answer.append("From the knowledge base (retrieved passages, no language model configured):\n")
                    .append(call.output());
        });
        if (answer.isEmpty()) {
            answer.append("No language model is configured and no tool could answer this message.");
        }
        return new ChatAnswer(answer.toString().strip(), PROVIDER, PROVIDER, calls, null);
    }

    /** A follow-up ("tell me more about the first one") is searched together with the question before it. */
    private static String searchQuery(ChatRequest request) {
        for (int i = request.history().size() - 1; i >= 0; i--) {
            ChatTurn turn = request.history().get(i);
            if (turn.fromUser()) {
                return turn.content() + " " + request.message();
            }
        }
        return request.message();
    }

    static Optional<String> arithmetic(String message) {
        Matcher matcher = ARITHMETIC.matcher(message);
        String longest = null;
        while (matcher.find()) {
            String candidate = matcher.group().strip();
            if (longest == null || candidate.length() > longest.length()) {
                longest = candidate;
            }
        }
        return Optional.ofNullable(longest);
    }

    private static Optional<ChatTool> tool(ChatRequest request, String name) {
        return request.tools().stream().filter(tool -> tool.name().equals(name)).findFirst();
    }

    private static ToolInvocation invoke(ChatTool tool, String arguments) {
        return new ToolInvocation(tool.name(), arguments, tool.call(arguments));
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
