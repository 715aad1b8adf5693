package io.flinkruler.promql.ast;

public record BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool, PosRange pos)
        implements Expr {
    @Override
    public ValueType type() {
        return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
    }

    /** The expression as PromQL, in Prometheus's String() format. */
    @Override public String toString() { return PromqlPrinter.print(this); }
}
