package io.flinkruler.promql.eval;

import io.flinkruler.promql.ast.AtModifier;
import io.flinkruler.promql.ast.LabelMatcher;
import io.flinkruler.promql.ast.VectorSelector;

import java.util.List;

/**
 * A maximal part of an expression computable from one series alone. {@link Kind#INSTANT}: the
 * latest sample in (t-offset-lookback, t-offset]; {@link Kind#TIMESTAMP}: that sample's time in
 * seconds; {@link Kind#RANGE_FUNCTION}: a range function over (t-offset-range, t-offset];
 * {@link Kind#RAW_RANGE}: the samples of that range themselves. Here t is the evaluation time after
 * applying {@code @}.
 */
final class Leaf {
    enum Kind { INSTANT, TIMESTAMP, RANGE_FUNCTION, RAW_RANGE }

    final int index;
    final Kind kind;
    final VectorSelector selector;
    final List<LabelMatcher> matchers;
    /** The metric name every matching series has, or null when the selector does not pin one. */
    final String metricName;
    /**
     * The matchers a postings index can answer: equality with a non-empty value ({@code l=""} also
     * matches series without l). Every matching series is in the postings of each of them.
     */
    final LabelMatcher[] indexable;
    final long rangeMs;
    final String functionName;
    final RangeFunction function;
    final double[] params;
    /** Whether the result keeps {@code __name__} until the end (delayed removal marks it dropped). */
    final boolean dropName;
    /** Source position of the selector (annotations about the series point at it). */
    final int selectorPosition;
    /** Source position of the first parameter (quantile warnings point at it). */
    final int paramPosition;

    Leaf(int index, Kind kind, VectorSelector selector, long rangeMs, String functionName, RangeFunction function,
         double[] params, boolean dropName, int selectorPosition, int paramPosition) {
        this.index = index;
        this.kind = kind;
        this.selector = selector;
        this.matchers = selector.matchers();
        this.metricName = pinnedName(selector.matchers());
        this.indexable = indexable(selector.matchers());
        this.rangeMs = rangeMs;
        this.functionName = functionName;
        this.function = function;
        this.params = params;
        this.dropName = dropName;
        this.selectorPosition = selectorPosition;
        this.paramPosition = paramPosition;
    }

    private static String pinnedName(List<LabelMatcher> matchers) {
        for (LabelMatcher m : matchers) {
            if (m.name().equals(io.flinkruler.model.Labels.METRIC_NAME) && m.type() == LabelMatcher.Type.EQ) return m.value();
        }
        return null;
    }

    static boolean isIndexable(LabelMatcher m) {
        return m.type() == LabelMatcher.Type.EQ && !m.value().isEmpty();
    }

    private static LabelMatcher[] indexable(List<LabelMatcher> matchers) {
        return matchers.stream().filter(Leaf::isIndexable).toArray(LabelMatcher[]::new);
    }

    long offsetMs() { return selector.offsetMs(); }

    AtModifier at() { return selector.at(); }

    boolean isValueLeaf() { return kind != Kind.RAW_RANGE; }
}
