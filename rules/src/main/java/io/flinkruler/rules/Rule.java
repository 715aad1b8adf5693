package io.flinkruler.rules;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One rule of a group: a recording rule ({@code record} set, {@code alert} null) or an alerting rule
 * ({@code alert} set, {@code record} null). flink-ruler evaluates recording rules only; alerting rules are
 * parsed and validated so that files written for Prometheus or Mimir load unchanged.
 *
 * <p>{@code labels} are the labels the rule adds to its results: the group's {@code labels} overridden by
 * the rule's own, as Prometheus applies them. {@code line} is the file line of the rule's mapping,
 * {@code exprLine}/{@code exprColumn} where its expression starts (1-based), for messages at run time.
 * Equality ignores these positions: moving a rule or editing comments is not a change of the rule.
 */
public record Rule(String record, String alert, String expr, Map<String, String> labels, int line, int exprLine, int exprColumn)
        implements Serializable {

    public Rule {
        Objects.requireNonNull(expr, "expr");
        if ((record == null) == (alert == null)) throw new IllegalArgumentException("exactly one of record and alert must be set");
        labels = Collections.unmodifiableMap(new TreeMap<>(labels == null ? Map.of() : labels));
    }

    /** A recording rule without position (tests, programmatic groups). */
    public static Rule recording(String record, String expr, Map<String, String> labels) {
        return new Rule(record, null, expr, labels, 0, 0, 0);
    }

    public boolean isRecording() { return record != null; }
    public boolean isAlerting() { return alert != null; }

    /** The record name or the alert name. */
    public String name() { return record != null ? record : alert; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rule r && Objects.equals(record, r.record) && Objects.equals(alert, r.alert)
                && expr.equals(r.expr) && labels.equals(r.labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(record, alert, expr, labels);
    }
}
