package io.jobstream.agent.tools;

import java.util.Locale;

/**
 * Evaluates arithmetic by recursive descent: {@code + - * / % ^}, parentheses, unary signs,
 * decimals, thousands separators ({@code 100,000}) and the functions sqrt, abs, round, floor, ceil,
 * ln, log (base 10) and exp. Precedence as in mathematics; {@code ^} binds right.
 */
public final class Calculator {

    private final String text;
    private int position;

    private Calculator(String text) {
        this.text = text;
    }

    /** @throws IllegalArgumentException naming what is wrong and where */
    public static double evaluate(String expression) {
        // "100,000" is one number; a comma not between digits stays and is reported as unexpected.
        Calculator calculator = new Calculator(expression.replaceAll("(?<=\\d),(?=\\d{3})", ""));
        double value = calculator.sum();
        calculator.skipSpaces();
        if (calculator.position < calculator.text.length()) {
            throw calculator.unexpected();
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("the result is not a finite number (division by zero?)");
        }
        return value;
    }

    /** The value as people write it: no trailing ".0", at most 10 decimals. */
    public static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return new java.math.BigDecimal(value).round(new java.math.MathContext(15)).stripTrailingZeros()
                .setScale(10, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private double sum() {
        double value = product();
        while (true) {
            if (take('+')) {
                value += product();
            } else if (take('-')) {
                value -= product();
            } else {
                return value;
            }
        }
    }

    private double product() {
        double value = power();
        while (true) {
            if (take('*') || take('×')) {
                value *= power();
            } else if (take('/') || take('÷')) {
                value /= power();
            } else if (take('%')) {
                value %= power();
            } else {
                return value;
            }
        }
    }

    private double power() {
        double base = unary();
        return take('^') ? Math.pow(base, power()) : base;
    }

    private double unary() {
        if (take('-')) {
            return -unary();
        }
        if (take('+')) {
            return unary();
        }
        return atom();
    }

    private double atom() {
        skipSpaces();
        if (take('(')) {
            double value = sum();
            expect(')');
            return value;
        }
        int start = position;
        if (position < text.length() && Character.isLetter(text.charAt(position))) {
            while (position < text.length() && Character.isLetterOrDigit(text.charAt(position))) {
                position++;
            }
            String name = text.substring(start, position).toLowerCase(Locale.ROOT);
            expect('(');
            double argument = sum();
            expect(')');
            return function(name, argument, start);
        }
        while (position < text.length() && (Character.isDigit(text.charAt(position)) || text.charAt(position) == '.')) {
            position++;
        }
        if (start == position) {
            throw unexpected();
        }
        try {
            return Double.parseDouble(text.substring(start, position));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text.substring(start, position) + "' at position " + start
                    + " is not a number");
        }
    }

    private static double function(String name, double argument, int at) {
        return switch (name) {
            case "sqrt" -> Math.sqrt(argument);
            case "abs" -> Math.abs(argument);
            case "round" -> Math.round(argument);
            case "floor" -> Math.floor(argument);
            case "ceil" -> Math.ceil(argument);
            case "ln" -> Math.log(argument);
            case "log" -> Math.log10(argument);
            case "exp" -> Math.exp(argument);
            default -> throw new IllegalArgumentException("unknown function '" + name + "' at position " + at
                    + "; known: sqrt, abs, round, floor, ceil, ln, log, exp");
        };
    }

    private boolean take(char expected) {
        skipSpaces();
        if (position < text.length() && text.charAt(position) == expected) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(char expected) {
        if (!take(expected)) {
            throw new IllegalArgumentException("expected '" + expected + "' at position " + position);
        }
    }

    private void skipSpaces() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private IllegalArgumentException unexpected() {
        return position >= text.length()
                ? new IllegalArgumentException("the expression ends too early")
                : new IllegalArgumentException("unexpected '" + text.charAt(position) + "' at position " + position);
    }
}
