package io.flinkruler.promql.ast;

public record StringLiteral(String value, PosRange pos) implements Expr {
    @Override public ValueType type() { return ValueType.STRING; }

    /** The expression as PromQL, in Prometheus's String() format. */
    @Override public String toString() { return PromqlPrinter.print(this); }
}
