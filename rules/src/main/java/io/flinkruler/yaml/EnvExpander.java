package io.flinkruler.yaml;

import java.util.Map;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} with values from an environment map, as Mimir's
 * {@code -config.expand-env} does for its config. A bare {@code $} (common in passwords) is left alone,
 * {@code $${} stands for a literal {@code ${}. An unset variable without a default is an error, because
 * an empty URL or password would otherwise fail much later with a less helpful message.
 */
public final class EnvExpander {
    private EnvExpander() {}

    /** The expanded text; IllegalArgumentException names the first unset variable or an unclosed {@code ${}. */
    public static String expand(String text, Map<String, String> env) {
        if (text.indexOf('$') < 0) return text;
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (c == '$' && text.startsWith("${", i)) {
                int close = text.indexOf('}', i + 2);
                if (close < 0) throw new IllegalArgumentException("unclosed ${ in \"" + text + "\"");
                out.append(resolve(text.substring(i + 2, close), env));
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String resolve(String reference, Map<String, String> env) {
        int defaultAt = reference.indexOf(":-");
        String name = defaultAt < 0 ? reference : reference.substring(0, defaultAt);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("invalid environment variable name \"" + name + "\" in ${" + reference + "}");
        }
        String value = env.get(name);
        if (value != null && !(value.isEmpty() && defaultAt >= 0)) return value;
        if (defaultAt >= 0) return reference.substring(defaultAt + 2);
        throw new IllegalArgumentException("environment variable " + name + " is not set");
    }
}
