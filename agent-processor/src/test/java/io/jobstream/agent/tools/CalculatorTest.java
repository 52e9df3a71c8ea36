package io.jobstream.agent.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CalculatorTest {

    @Test
    void followsPrecedenceParenthesesAndRightAssociativePowers() {
        assertThat(Calculator.evaluate("100000 / 0.10")).isEqualTo(1_000_000.0);
        assertThat(Calculator.evaluate("2 + 3 * 4")).isEqualTo(14.0);
        assertThat(Calculator.evaluate("(2 + 3) * 4")).isEqualTo(20.0);
        assertThat(Calculator.evaluate("2 ^ 3 ^ 2")).isEqualTo(512.0);
        assertThat(Calculator.evaluate("-2 ^ 2")).isEqualTo(4.0);
        assertThat(Calculator.evaluate("10 % 4 - -1")).isEqualTo(3.0);
        assertThat(Calculator.evaluate("sqrt(16) + abs(-2) * round(2.4)")).isEqualTo(8.0);
        assertThat(Calculator.evaluate("100,000 * 2")).isEqualTo(200_000.0);
    }

    @Test
    void formatsLikePeopleWriteNumbers() {
        assertThat(Calculator.format(1_000_000.0)).isEqualTo("1000000");
        assertThat(Calculator.format(1.0 / 3)).isEqualTo("0.3333333333");
        assertThat(Calculator.format(2.5)).isEqualTo("2.5");
    }

    @Test
    void explainsWhatIsWrong() {
        assertThatThrownBy(() -> Calculator.evaluate("2 +")).hasMessage("the expression ends too early");
        assertThatThrownBy(() -> Calculator.evaluate("2 $ 3")).hasMessage("unexpected '$' at position 2");
        assertThatThrownBy(() -> Calculator.evaluate("(1 + 2")).hasMessage("expected ')' at position 6");
        assertThatThrownBy(() -> Calculator.evaluate("1 / 0")).hasMessageContaining("division by zero");
        assertThatThrownBy(() -> Calculator.evaluate("cbrt(8)")).hasMessageContaining("unknown function 'cbrt'");
    }

    @Test
    void theToolReportsErrorsToTheModelInsteadOfFailingTheJob() {
        CalculatorTool tool = new CalculatorTool();
        assertThat(tool.call("{\"expression\": \"(2 + 3) * 4\"}")).isEqualTo("20");
        assertThat(tool.call("{\"expression\": \"2 +\"}")).isEqualTo("error: the expression ends too early");
        assertThat(tool.call("{}")).startsWith("error: 'expression' is required");
        assertThat(tool.call("not json")).isEqualTo("error: arguments are not valid JSON");
    }
}
