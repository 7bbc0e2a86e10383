package io.ployer.engine.compose;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Compose's variable interpolation of one value: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}
 * (unset or empty), {@code ${VAR-default}} (unset), {@code ${VAR:?message}} / {@code ${VAR?message}}
 * (an error when missing) and {@code $$} for a literal {@code $}. An unset variable without a default is
 * empty, reported to {@code missing}. Defaults are interpolated in turn. Messages name variables, never
 * their values (they may be secrets).
 */
final class Interpolation {
    private Interpolation() {
    }

    /** Thrown for a malformed reference or a required variable that is missing; the message is a sentence part. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    static String apply(String text, Map<String, String> variables, Consumer<String> missing) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 >= text.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = text.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '{') {
                int end = closingBrace(text, i + 2);
                if (end < 0) {
                    throw new Failure("has a ${ without its closing }");
                }
                out.append(braced(text.substring(i + 2, end), variables, missing));
                i = end + 1;
            } else if (nameStart(next)) {
                int end = i + 1;
                while (end < text.length() && namePart(text.charAt(end))) {
                    end++;
                }
                out.append(lookup(text.substring(i + 1, end), variables, missing));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int closingBrace(String text, int from) {
        int depth = 1;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String braced(String inside, Map<String, String> variables, Consumer<String> missing) {
        int nameEnd = 0;
        while (nameEnd < inside.length() && namePart(inside.charAt(nameEnd))) {
            nameEnd++;
        }
        String name = inside.substring(0, nameEnd);
        if (name.isEmpty() || !nameStart(name.charAt(0))) {
            throw new Failure("has ${" + inside + "}, which does not start with a variable name");
        }
        String rest = inside.substring(nameEnd);
        if (rest.isEmpty()) {
            return lookup(name, variables, missing);
        }
        String value = variables.get(name);
        boolean colon = rest.startsWith(":");
        String operator = colon ? rest.substring(0, Math.min(2, rest.length())) : rest.substring(0, 1);
        String argument = rest.substring(operator.length());
        boolean absent = value == null || (colon && value.isEmpty());
        switch (operator) {
            case ":-", "-" -> {
                return absent ? apply(argument, variables, missing) : value;
            }
            case ":?", "?" -> {
                if (absent) {
                    throw new Failure("needs the variable " + name + (argument.isEmpty() ? "" : " (" + argument + ")")
                            + ", which the application's environment does not set");
                }
                return value;
            }
            case ":+", "+" -> {
                return absent ? "" : apply(argument, variables, missing);
            }
            default -> throw new Failure("has ${" + name + rest + "}: after the name only :-, -, :?, ?, :+ or + may follow");
        }
    }

    private static String lookup(String name, Map<String, String> variables, Consumer<String> missing) {
        String value = variables.get(name);
        if (value == null) {
            missing.accept(name);
            return "";
        }
        return value;
    }

    private static boolean nameStart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean namePart(char c) {
        return nameStart(c) || (c >= '0' && c <= '9');
    }
}
