package io.flinkruler.rules;

import java.util.regex.Pattern;

/**
 * Prometheus's legacy (pre-UTF-8) name rules. Prometheus 3 also accepts any UTF-8 metric and label name,
 * but the names flink-ruler records must stay usable by every remote-write receiver and by PromQL without
 * quoting, so rule files are held to the legacy rules.
 */
public final class Names {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private Names() {}

    public static boolean isValidMetricName(String name) {
        return METRIC_NAME.matcher(name).matches();
    }

    public static boolean isValidLabelName(String name) {
        return LABEL_NAME.matcher(name).matches();
    }
}
