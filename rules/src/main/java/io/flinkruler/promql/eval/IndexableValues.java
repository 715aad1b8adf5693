package io.flinkruler.promql.eval;

import io.flinkruler.promql.ast.LabelMatcher;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The label values a matcher accepts when they are few, known and non-empty, so that an index by
 * label value can answer it: {@code l="v"} with v non-empty, and {@code l=~"a|b|c"} when the regex is
 * an alternation of literals. Not {@code l=""} (it also matches series without l), nor negative
 * matchers, nor other regexes.
 */
public final class IndexableValues {
    private IndexableValues() {}

    /** The values, or null when the matcher cannot be answered by an index of values. */
    public static String[] of(LabelMatcher m) {
        return switch (m.type()) {
            case EQ -> m.value().isEmpty() ? null : new String[] {m.value()};
            case RE -> literalAlternatives(m.value());
            default -> null;
        };
    }

    /**
     * The alternatives of a regex made only of literal text and top-level {@code |}, or null. Escaped
     * punctuation ({@code \.}) is literal text in RE2; anything else with a meaning in regexes is not
     * accepted, nor an empty alternative (it would match the empty value).
     */
    static String[] literalAlternatives(String regex) {
        Set<String> values = new LinkedHashSet<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '|') {
                if (current.isEmpty()) return null;
                values.add(current.toString());
                current.setLength(0);
            } else if (c == '\\') {
                if (i + 1 == regex.length()) return null;
                char next = regex.charAt(++i);
                if (Character.isLetterOrDigit(next) || next == '_' || next > 127) return null;
                current.append(next);
            } else if (isLiteral(c)) {
                current.append(c);
            } else {
                return null;
            }
        }
        if (current.isEmpty()) return null;
        values.add(current.toString());
        return values.toArray(new String[0]);
    }

    private static boolean isLiteral(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '_' || c == '-' || c == ':' || c == '/' || c == ' ' || c == ',' || c == '=' || c == '@'
                || c == '#' || c == '%' || c == '&' || c == '\'' || c == '"' || c == '<' || c == '>' || c == '!'
                || c == '~' || c == ';' || c == '`';
    }
}
