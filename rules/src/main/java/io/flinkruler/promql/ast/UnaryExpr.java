package io.flinkruler.promql.ast;

/** Unary minus (unary plus is dropped by the parser). */
public record UnaryExpr(Expr expr, PosRange pos) implements Expr {
    @Override public ValueType type() { return expr.type(); }

    /** The expression as PromQL, in Prometheus's String() format. */
    @Override public String toString() { return PromqlPrinter.print(this); }
}
