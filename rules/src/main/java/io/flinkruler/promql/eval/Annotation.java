package io.flinkruler.promql.eval;

/**
 * A warning or info attached to a result, as Prometheus's annotations: {@code message} is the full
 * text ("PromQL warning: ..."), {@code position} the 0-based offset of the expression it is about.
 */
public record Annotation(boolean info, String message, int position) {
    /** Prometheus's rendering with a 1-based line:column suffix, for a single-line query. */
    public String render(String query) {
        int line = 1, col = 1;
        for (int i = 0; i < position && i < query.length(); i++) {
            if (query.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return message + " (" + line + ":" + col + ")";
    }
}
