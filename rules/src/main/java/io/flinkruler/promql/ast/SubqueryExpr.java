package io.flinkruler.promql.ast;

/**
 * {@code expr[range:step]}. {@code stepMs} is 0 when omitted (the default evaluation interval is
 * used: the group interval for rules).
 */
public record SubqueryExpr(Expr expr, long rangeMs, long stepMs, long offsetMs, AtModifier at, PosRange pos) implements Expr {
    @Override public ValueType type() { return ValueType.MATRIX; }

    /** The expression as PromQL, in Prometheus's String() format. */
    @Override public String toString() { return PromqlPrinter.print(this); }
}
