package io.flinkruler.promql.parser;

import io.flinkruler.promql.ast.Expr;

/** Entry point of the PromQL parser. (Stub: the real parser replaces this body.) */
public final class PromqlParser {
    private PromqlParser() {}

    /** Parses and type-checks an expression; errors carry 1-based line/column within {@code input}. */
    public static Expr parse(String input) throws PromqlParseException {
        throw new PromqlParseException("parser not implemented yet", io.flinkruler.promql.ast.PosRange.NONE, 1, 1);
    }
}
