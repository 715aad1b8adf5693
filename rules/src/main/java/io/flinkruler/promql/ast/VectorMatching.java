package io.flinkruler.promql.ast;

import java.util.List;

/**
 * How the two sides of a vector/vector binary operation are matched: {@code on} (true) or
 * {@code ignoring} (false) the {@code matchingLabels}; the cardinality; and the extra labels of
 * {@code group_left(...)}/{@code group_right(...)}. Null on a BinaryExpr that has a scalar side.
 */
public record VectorMatching(Cardinality card, List<String> matchingLabels, boolean on, List<String> include) {
    public enum Cardinality { ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY }
}
