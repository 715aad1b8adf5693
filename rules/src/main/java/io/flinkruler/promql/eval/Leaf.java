package io.flinkruler.promql.eval;

import io.flinkruler.promql.ast.AtModifier;
import io.flinkruler.promql.ast.LabelMatcher;
import io.flinkruler.promql.ast.VectorSelector;

import java.util.ArrayList;
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
    /**
     * The label names of the matchers a postings index can answer ({@link IndexableValues}) and, for
     * each, the values it accepts: every matching series is in the postings of one of those values.
     */
    final String[] indexNames;
    final String[][] indexValues;
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
        List<String> names = new ArrayList<>();
        List<String[]> values = new ArrayList<>();
        for (LabelMatcher m : selector.matchers()) {
            String[] v = IndexableValues.of(m);
            if (v == null) continue;
            names.add(m.name());
            values.add(v);
        }
        this.indexNames = names.toArray(new String[0]);
        this.indexValues = values.toArray(new String[0][]);
        this.rangeMs = rangeMs;
        this.functionName = functionName;
        this.function = function;
        this.params = params;
        this.dropName = dropName;
        this.selectorPosition = selectorPosition;
        this.paramPosition = paramPosition;
    }

    long offsetMs() { return selector.offsetMs(); }

    AtModifier at() { return selector.at(); }

    boolean isValueLeaf() { return kind != Kind.RAW_RANGE; }
}
