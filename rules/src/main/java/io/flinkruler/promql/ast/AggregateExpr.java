package io.flinkruler.promql.ast;

import java.util.List;

/**
 * {@code op [by|without (grouping)] ([param,] expr)}. {@code param} is null unless the operator takes
 * one (topk, bottomk, quantile, count_values, limitk, limit_ratio). {@code grouping} is empty and
 * {@code without} false when no clause was given.
 */
public record AggregateExpr(AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without, PosRange pos)
        implements Expr {
    @Override public ValueType type() { return ValueType.VECTOR; }

    /** The expression as PromQL, in Prometheus's String() format. */
    @Override public String toString() { return PromqlPrinter.print(this); }
}
