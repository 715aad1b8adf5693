package io.flinkruler.promql.eval;

/** Unchecked carrier of a query error inside evaluation; surfaced as {@link EvalException}. */
final class EvalError extends RuntimeException {
    EvalError(String message) {
        super(message, null, false, false);
    }
}
