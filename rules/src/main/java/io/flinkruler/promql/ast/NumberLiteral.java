package io.flinkruler.promql.ast;

public record NumberLiteral(double value, PosRange pos) implements Expr {
    @Override public ValueType type() { return ValueType.SCALAR; }
}
