package io.jobstream.ai.chat;

import java.util.Map;

/**
 * A function the model may call. Implementations are thread-safe; a failure is returned to the
 * model as the tool's output rather than thrown, so the model can recover from a bad argument.
 */
public interface ChatTool {

    String name();

    String description();

    /** JSON Schema of the arguments object, as plain maps and lists. */
    Map<String, Object> parameters();

    /** Runs the tool on the model's JSON arguments and returns its output as text. */
    String call(String argumentsJson);
}
