package io.flinkruler.promql.ast;

public record ParenExpr(Expr expr, PosRange pos) implements Expr {
    @Override public ValueType type() { return expr.type(); }

    /** The expression as PromQL, in Prometheus's String() format. */
    @Override public String toString() { return PromqlPrinter.print(this); }
}
