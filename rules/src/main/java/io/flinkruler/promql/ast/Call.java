package io.flinkruler.promql.ast;

import java.util.List;

/** A function call; {@code function} is the entry of the function table the parser resolved. */
public record Call(FunctionSignature function, List<Expr> args, PosRange pos) implements Expr {
    @Override public ValueType type() { return function.returnType(); }

    /** The expression as PromQL, in Prometheus's String() format. */
    @Override public String toString() { return PromqlPrinter.print(this); }
}
