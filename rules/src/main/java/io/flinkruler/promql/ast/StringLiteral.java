package io.flinkruler.promql.ast;

public record StringLiteral(String value, PosRange pos) implements Expr {
    @Override public ValueType type() { return ValueType.STRING; }
}
