package io.flinkruler.promql.ast;

/** Character offsets [start, end) into the expression text. */
public record PosRange(int start, int end) {
    public static final PosRange NONE = new PosRange(0, 0);
}
