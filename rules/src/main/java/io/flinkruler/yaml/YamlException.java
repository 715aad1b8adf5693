package io.flinkruler.yaml;

/**
 * A problem at a place in a YAML file. {@link #getMessage()} is {@code file:line:column: detail}
 * with 1-based line and column, the form editors and CI logs turn into links.
 */
public final class YamlException extends RuntimeException {
    private final String file;
    private final int line;
    private final int column;
    private final String detail;

    public YamlException(String file, int line, int column, String detail) {
        super(file + ":" + line + ":" + column + ": " + detail);
        this.file = file;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    public String file() { return file; }
    public int line() { return line; }
    public int column() { return column; }
    /** The message without the position prefix. */
    public String detail() { return detail; }
}
