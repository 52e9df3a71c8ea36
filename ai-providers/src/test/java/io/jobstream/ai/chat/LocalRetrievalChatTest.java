package io.jobstream.ai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class LocalRetrievalChatTest {

    private final List<String> searched = new ArrayList<>();
    private final List<String> calculated = new ArrayList<>();
    private final ChatTool search = tool(LocalRetrievalChat.SEARCH_TOOL, arguments -> {
        searched.add(arguments);
        return "1. [post:p1, similarity 0.91] Mark Cuban invested in a hot sauce company.";
    });
    private final ChatTool calculator = tool(LocalRetrievalChat.CALCULATOR_TOOL, arguments -> {
        calculated.add(arguments);
        return "1000000";
    });

    @Test
    void answersWithTheCalculationAndTheTopPassagesLabelledAsRetrieval() {
        ChatAnswer answer = new LocalRetrievalChat().answer(new ChatRequest("be brief", List.of(),
                "Calculate 100000 / 0.10 for the Mark Cuban deal", List.of(search, calculator)));

        assertThat(answer.provider()).isEqualTo("local-retrieval");
        assertThat(calculated).containsExactly("{\"expression\": \"100000 / 0.10\"}");
        assertThat(answer.response()).startsWith("Calculation: 100000 / 0.10 = 1000000")
                .contains("no language model configured").contains("Mark Cuban invested in a hot sauce company.");
        assertThat(answer.toolCalls()).extracting(ToolInvocation::name).containsExactly("calculator", "search_knowledge");
    }

    @Test
    void aFollowUpIsSearchedWithTheQuestionBeforeIt() {
        new LocalRetrievalChat().answer(new ChatRequest(null, List.of(
                new ChatTurn("user", "What deals did Mark Cuban make?"), new ChatTurn("assistant", "Several.")),
                "Tell me more about the first one", List.of(search, calculator)));

        assertThat(searched).containsExactly(
                "{\"query\": \"What deals did Mark Cuban make? Tell me more about the first one\"}");
        assertThat(calculated).isEmpty();
    }

    @Test
    void findsArithmeticInsideSentences() {
        assertThat(LocalRetrievalChat.arithmetic("what is (2 + 3) * 4 exactly?")).contains("(2 + 3) * 4");
        assertThat(LocalRetrievalChat.arithmetic("Show me food companies")).isEmpty();
        assertThat(LocalRetrievalChat.arithmetic("deal 7 of 2024")).isEmpty();
    }

    private static ChatTool tool(String name, Function<String, String> body) {
        return new ChatTool() {
            public String name() {
                return name;
            }

            public String description() {
                return name;
            }

            public Map<String, Object> parameters() {
                return Map.of("type", "object");
            }

            public String call(String argumentsJson) {
                return body.apply(argumentsJson);
            }
        };
    }
}
