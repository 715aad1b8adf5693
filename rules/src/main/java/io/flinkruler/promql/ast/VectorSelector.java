package io.flinkruler.promql.ast;

import java.util.List;

/**
 * An instant vector selector. {@code name} is the metric name when written outside the braces (or
 * null); it is also present in {@code matchers} as a {@code __name__} equality matcher, as Prometheus does.
 * {@code offsetMs} may be negative; {@code at} is null when there is no {@code @} modifier.
 */
public record VectorSelector(String name, List<LabelMatcher> matchers, long offsetMs, AtModifier at, PosRange pos)
        implements Expr {
    @Override public ValueType type() { return ValueType.VECTOR; }

    /** The expression as PromQL, in Prometheus's String() format. */
    @Override public String toString() { return PromqlPrinter.print(this); }
}
