package io.flinkruler.promql.ast;

/**
 * Marks a subtree whose value does not change between steps (e.g. everything under {@code @});
 * produced by the planner, never by the parser.
 */
public record StepInvariantExpr(Expr expr, PosRange pos) implements Expr {
    @Override public ValueType type() { return expr.type(); }

    /** The expression as PromQL, in Prometheus's String() format. */
    @Override public String toString() { return PromqlPrinter.print(this); }
}
