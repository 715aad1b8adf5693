package io.flinkruler.promql.parser;

import io.flinkruler.promql.ast.Expr;
import io.flinkruler.promql.ast.PosRange;

import java.nio.charset.StandardCharsets;

/**
 * Entry point of the PromQL parser: Prometheus 3.x syntax and type rules, Prometheus's error messages
 * and positions (1-based line and column, counted in UTF-8 bytes as Prometheus does).
 */
public final class PromqlParser {
    /**
     * @param experimentalFunctions accept functions and aggregations Prometheus gates behind
     *        {@code --enable-feature=promql-experimental-functions} (limitk, limit_ratio, sort_by_label,
     *        mad_over_time, info, ...)
     */
    public record Options(boolean experimentalFunctions) {
        /** Everything this parser supports, experimental functions included (what Prometheus's own engine tests use). */
        public static final Options ALL = new Options(true);
        /** Prometheus's defaults: experimental functions are rejected. */
        public static final Options PROMETHEUS_DEFAULTS = new Options(false);
    }

    private PromqlParser() {}

    /** Parses and type-checks an expression, accepting experimental functions ({@link Options#ALL}). */
    public static Expr parse(String input) throws PromqlParseException {
        return parse(input, Options.ALL);
    }

    /** Parses and type-checks an expression; errors carry 1-based line/column within {@code input}. */
    public static Expr parse(String input, Options options) throws PromqlParseException {
        ExprParser parser = new ExprParser(input, options.experimentalFunctions());
        try {
            Expr expr = parser.parseRoot();
            new TypeChecker(input, parser.writtenMatching, parser.unaryPlusOperands).check(expr);
            return expr;
        } catch (ExprParser.Failure f) {
            throw toException(input, f.error.detail(), f.error.pos());
        }
    }

    private static PromqlParseException toException(String input, String detail, PosRange pos) {
        int offset = Math.max(0, Math.min(pos.start(), input.length()));
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (input.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = input.substring(lineStart, offset).getBytes(StandardCharsets.UTF_8).length + 1;
        return new PromqlParseException(detail, pos, line, column);
    }
}
