package io.flinkruler.promql.eval;

/** A query evaluation error; the message is Prometheus's wording where one exists. */
public final class EvalException extends Exception {
    public EvalException(String message) {
        super(message);
    }
}
