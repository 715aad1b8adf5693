package io.flinkruler.promql.ast;

/** {@code selector[range]}; offset and {@code @} live on the inner selector. */
public record MatrixSelector(VectorSelector selector, long rangeMs, PosRange pos) implements Expr {
    @Override public ValueType type() { return ValueType.MATRIX; }

    /** The expression as PromQL, in Prometheus's String() format. */
    @Override public String toString() { return PromqlPrinter.print(this); }
}
