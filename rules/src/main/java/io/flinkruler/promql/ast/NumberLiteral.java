package io.flinkruler.promql.ast;

public record NumberLiteral(double value, PosRange pos) implements Expr {
    @Override public ValueType type() { return ValueType.SCALAR; }

    /** The expression as PromQL, in Prometheus's String() format. */
    @Override public String toString() { return PromqlPrinter.print(this); }
}
