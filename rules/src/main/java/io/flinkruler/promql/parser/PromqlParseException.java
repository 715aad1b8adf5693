package io.flinkruler.promql.parser;

import io.flinkruler.promql.ast.PosRange;

/**
 * A PromQL syntax or type error. {@code line} and {@code column} are 1-based within the expression
 * text; the message is Prometheus's wording where one exists (e.g. "unexpected end of input").
 */
public final class PromqlParseException extends Exception {
    private final PosRange pos;
    private final int line;
    private final int column;
    private final String detail;

    public PromqlParseException(String detail, PosRange pos, int line, int column) {
        super(line + ":" + column + ": parse error: " + detail);
        this.detail = detail;
        this.pos = pos;
        this.line = line;
        this.column = column;
    }

    public PosRange pos() { return pos; }
    public int line() { return line; }
    public int column() { return column; }
    /** The message without the position prefix. */
    public String detail() { return detail; }
}
