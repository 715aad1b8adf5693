package io.flinkruler.config;

import java.util.Locale;

/** Where samples come from ({@code source.type}). */
public enum SourceType {
    OPENMETRICS, GENERATOR, KAFKA;

    public String yamlName() { return name().toLowerCase(Locale.ROOT); }
}
