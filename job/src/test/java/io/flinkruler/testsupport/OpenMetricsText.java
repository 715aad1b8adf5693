package io.flinkruler.testsupport;

import io.flinkruler.model.Labels;

import java.math.BigDecimal;

/**
 * Formatting of OpenMetrics text lines as {@code promtool tsdb create-blocks-from openmetrics} reads them back exactly.
 *
 * <p>promtool (2.42) parses a timestamp as float seconds and converts with {@code int64(seconds * 1000)}, which
 * truncates: "1093777596.942" becomes 1093777596941 ms. {@link #timestamp(long)} therefore writes the plain
 * 3-decimal form only when it survives that conversion, and otherwise the exact decimal expansion of the next
 * larger double, which does (both still round to the same millisecond for a reader that rounds).
 */
public final class OpenMetricsText {
    private OpenMetricsText() {}

    /** Seconds since the epoch for epoch milliseconds {@code ms}, read back by promtool as exactly {@code ms}. */
    public static String timestamp(long ms) {
        String plain = BigDecimal.valueOf(ms, 3).toPlainString();
        double d = Double.parseDouble(plain);
        for (int i = 0; i < 16 && (long) (d * 1000) != ms; i++) d = Math.nextUp(d);
        if ((long) (d * 1000) != ms) throw new IllegalArgumentException("no promtool-safe seconds for " + ms + " ms");
        return d == Double.parseDouble(plain) ? plain : new BigDecimal(d).toPlainString();
    }

    /** Whether the plain 3-decimal form of {@code ms} survives promtool's float conversion. */
    public static boolean plainTimestampIsExact(long ms) {
        return (long) (Double.parseDouble(BigDecimal.valueOf(ms, 3).toPlainString()) * 1000) == ms;
    }

    /** A sample value without exponent notation; NaN and infinities as OpenMetrics spells them. */
    public static String value(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** {@code name{a="1",b="2"} value timestamp}: the metric name is {@code labels}' {@code __name__}. */
    public static String sampleLine(Labels labels, double value, long timestampMs) {
        StringBuilder sb = new StringBuilder(labels.metricName());
        boolean first = true;
        for (int i = 0; i < labels.size(); i++) {
            if (labels.name(i).equals(Labels.METRIC_NAME)) continue;
            sb.append(first ? '{' : ',');
            first = false;
            sb.append(labels.name(i)).append("=\"").append(escape(labels.value(i))).append('"');
        }
        if (!first) sb.append('}');
        return sb.append(' ').append(value(value)).append(' ').append(timestamp(timestampMs)).toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
