package io.flinkruler.promql.parser;

import io.flinkruler.promql.ast.FunctionSignature;
import io.flinkruler.promql.ast.ValueType;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.flinkruler.promql.ast.ValueType.MATRIX;
import static io.flinkruler.promql.ast.ValueType.SCALAR;
import static io.flinkruler.promql.ast.ValueType.STRING;
import static io.flinkruler.promql.ast.ValueType.VECTOR;

/**
 * Every PromQL function of Prometheus 3.x with its signature (Prometheus's parser/functions.go).
 * Functions Prometheus only accepts with {@code --enable-feature=promql-experimental-functions} are
 * marked experimental.
 */
public final class Functions {
    private static final Map<String, FunctionSignature> TABLE;

    static {
        Map<String, FunctionSignature> t = new TreeMap<>();
        for (String name : List.of("abs", "absent", "acos", "acosh", "asin", "asinh", "atan", "atanh", "ceil", "cos", "cosh",
                "deg", "exp", "floor", "histogram_avg", "histogram_count", "histogram_sum", "histogram_stddev",
                "histogram_stdvar", "ln", "log10", "log2", "rad", "sgn", "sin", "sinh", "sort", "sort_desc", "sqrt", "tan",
                "tanh", "timestamp")) {
            add(t, name, List.of(VECTOR), 0, VECTOR, false);
        }
        for (String name : List.of("absent_over_time", "avg_over_time", "changes", "count_over_time", "delta", "deriv",
                "first_over_time", "idelta", "increase", "irate", "last_over_time", "max_over_time", "min_over_time",
                "present_over_time", "rate", "resets", "stddev_over_time", "stdvar_over_time", "sum_over_time")) {
            add(t, name, List.of(MATRIX), 0, VECTOR, false);
        }
        for (String name : List.of("mad_over_time", "ts_of_first_over_time", "ts_of_max_over_time", "ts_of_min_over_time",
                "ts_of_last_over_time")) {
            add(t, name, List.of(MATRIX), 0, VECTOR, true);
        }
        for (String name : List.of("days_in_month", "day_of_month", "day_of_week", "day_of_year", "hour", "minute", "month", "year")) {
            add(t, name, List.of(VECTOR), 1, VECTOR, false);
        }
        for (String name : List.of("pi", "time")) add(t, name, List.of(), 0, SCALAR, false);
        for (String name : List.of("start", "end", "range", "step")) add(t, name, List.of(), 0, SCALAR, true);
        for (String name : List.of("max_of", "min_of")) add(t, name, List.of(SCALAR, SCALAR), 0, SCALAR, true);
        add(t, "clamp", List.of(VECTOR, SCALAR, SCALAR), 0, VECTOR, false);
        add(t, "clamp_max", List.of(VECTOR, SCALAR), 0, VECTOR, false);
        add(t, "clamp_min", List.of(VECTOR, SCALAR), 0, VECTOR, false);
        add(t, "histogram_fraction", List.of(SCALAR, SCALAR, VECTOR), 0, VECTOR, false);
        add(t, "histogram_quantile", List.of(SCALAR, VECTOR), 0, VECTOR, false);
        add(t, "histogram_quantiles", List.of(VECTOR, STRING, SCALAR, SCALAR), 9, VECTOR, true);
        add(t, "double_exponential_smoothing", List.of(MATRIX, SCALAR, SCALAR), 0, VECTOR, true);
        add(t, "info", List.of(VECTOR, VECTOR), 1, VECTOR, true);
        add(t, "label_replace", List.of(VECTOR, STRING, STRING, STRING, STRING), 0, VECTOR, false);
        add(t, "label_join", List.of(VECTOR, STRING, STRING, STRING), -1, VECTOR, false);
        add(t, "predict_linear", List.of(MATRIX, SCALAR), 0, VECTOR, false);
        add(t, "quantile_over_time", List.of(SCALAR, MATRIX), 0, VECTOR, false);
        add(t, "round", List.of(VECTOR, SCALAR), 1, VECTOR, false);
        add(t, "scalar", List.of(VECTOR), 0, SCALAR, false);
        add(t, "sort_by_label", List.of(VECTOR, STRING), -1, VECTOR, true);
        add(t, "sort_by_label_desc", List.of(VECTOR, STRING), -1, VECTOR, true);
        add(t, "start_timestamp", List.of(VECTOR), 0, VECTOR, true);
        add(t, "vector", List.of(SCALAR), 0, VECTOR, false);
        TABLE = Collections.unmodifiableMap(t);
    }

    private Functions() {}

    private static void add(Map<String, FunctionSignature> t, String name, List<ValueType> args, int variadic,
                            ValueType returns, boolean experimental) {
        t.put(name, new FunctionSignature(name, args, variadic, returns, experimental));
    }

    /** The signature of a function, or null if PromQL has no function of that (case-sensitive) name. */
    public static FunctionSignature get(String name) {
        return TABLE.get(name);
    }

    /** All functions by name. */
    public static Map<String, FunctionSignature> all() {
        return TABLE;
    }
}
