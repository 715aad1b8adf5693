package io.flinkruler.promql.ast;

public record ParenExpr(Expr expr, PosRange pos) implements Expr {
    @Override public ValueType type() { return expr.type(); }
}
