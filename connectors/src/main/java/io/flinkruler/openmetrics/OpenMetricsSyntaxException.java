package io.flinkruler.openmetrics;

/** A line that is not valid exposition format; {@link #column()} is 1-based within the line. */
public final class OpenMetricsSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int column;

    public OpenMetricsSyntaxException(String message, int column) {
        super(message, null, false, false);
        this.column = column;
    }

    public int column() { return column; }

    /** {@code where:line:column: message}, the form editors and humans can jump to. */
    public String describe(String where, long lineNumber) {
        return where + ":" + lineNumber + ":" + column + ": " + getMessage();
    }
}
