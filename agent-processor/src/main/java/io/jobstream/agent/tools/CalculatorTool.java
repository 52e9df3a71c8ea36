package io.jobstream.agent.tools;

import java.util.List;
import java.util.Map;

import io.jobstream.ai.chat.ChatTool;
import io.jobstream.ai.chat.LocalRetrievalChat;

/** {@code calculator}: evaluates an arithmetic expression exactly instead of letting the model guess. */
public final class CalculatorTool implements ChatTool {

    @Override
    public String name() {
        return LocalRetrievalChat.CALCULATOR_TOOL;
    }

    @Override
    public String description() {
        return "Evaluates an arithmetic expression, e.g. '100000 / 0.10' or '(2 + 3) ^ 2 * sqrt(16)'. "
                + "Supports + - * / % ^, parentheses and sqrt, abs, round, floor, ceil, ln, log, exp.";
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("type", "object",
                "properties", Map.of("expression", Map.of("type", "string", "description", "the expression to evaluate")),
                "required", List.of("expression"));
    }

    @Override
    public String call(String argumentsJson) {
        try {
            return Calculator.format(Calculator.evaluate(ToolArguments.requiredText(ToolArguments.parse(argumentsJson), "expression")));
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage();
        }
    }
}
