package io.flinkruler.promql.ast;

/**
 * The {@code @} modifier: a fixed timestamp in ms, or {@code start()} / {@code end()} of the query
 * (for a rule evaluation both are the evaluation timestamp).
 */
public record AtModifier(Kind kind, long timestampMs) {
    public enum Kind { TIMESTAMP, START, END }

    public static AtModifier at(long timestampMs) { return new AtModifier(Kind.TIMESTAMP, timestampMs); }
}
