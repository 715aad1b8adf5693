package io.flinkruler.rules;

import io.flinkruler.yaml.YamlException;

/** One thing wrong (or worth a warning) in a rule file, at a 1-based line and column. */
public record Problem(String file, int line, int column, String message) {
    public static Problem of(YamlException e) {
        return new Problem(e.file(), e.line(), e.column(), e.detail());
    }

    /** The same problem with {@code prefix} (e.g. {@code group "g", rule 2, "name": }) before the message. */
    public Problem withPrefix(String prefix) {
        return new Problem(file, line, column, prefix + message);
    }

    /** {@code file:line:column: message}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
