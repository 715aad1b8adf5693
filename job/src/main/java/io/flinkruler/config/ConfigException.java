package io.flinkruler.config;

import java.util.List;

/** An invalid job config: every error found, each as {@code file:line:column: message}, one per line. */
public final class ConfigException extends Exception {
    private final List<String> errors;

    public ConfigException(List<String> errors) {
        super(String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() { return errors; }
}
