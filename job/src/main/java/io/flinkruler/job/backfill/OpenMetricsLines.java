package io.flinkruler.job.backfill;

import io.flinkruler.model.Labels;
import java.math.BigDecimal;

/**
 * Sample lines of OpenMetrics text as {@code promtool tsdb create-blocks-from openmetrics} reads them back
 * exactly: {@code name{a="1"} value seconds}.
 *
 * <p>promtool parses the timestamp as float seconds and converts with {@code int64(seconds * 1000)}, which
 * truncates ("1093777596.942" becomes ...941 ms). So the plain 3-decimal form is written only where it survives
 * that conversion, else the exact decimal expansion of the nearest larger double that does.
 */
public final class OpenMetricsLines {
    public static final String EOF = "# EOF\n";

    private OpenMetricsLines() {}

    /** Appends {@code name{labels} value timestamp\n}; the name is the labels' {@code __name__}. */
    public static void appendSample(StringBuilder sb, Labels labels, double value, long timestampMs) {
        sb.append(labels.metricName());
        boolean first = true;
        for (int i = 0; i < labels.size(); i++) {
            if (labels.name(i).equals(Labels.METRIC_NAME)) continue;
            sb.append(first ? '{' : ',');
            first = false;
            sb.append(labels.name(i)).append("=\"");
            appendEscaped(sb, labels.value(i));
            sb.append('"');
        }
        if (!first) sb.append('}');
        sb.append(' ').append(value(value)).append(' ').append(timestamp(timestampMs)).append('\n');
    }

    /** Seconds since the epoch for {@code ms}, read back by promtool as exactly {@code ms}. */
    public static String timestamp(long ms) {
        String plain = BigDecimal.valueOf(ms, 3).toPlainString();
        double d = Double.parseDouble(plain);
        if ((long) (d * 1000) == ms) return plain;
        for (int i = 0; i < 16; i++) {
            d = Math.nextUp(d);
            if ((long) (d * 1000) == ms) return new BigDecimal(d).toPlainString();
        }
        throw new IllegalArgumentException("no promtool-safe seconds for " + ms + " ms");
    }

    /** The shortest decimal that parses back to {@code v}; NaN and infinities as OpenMetrics spells them. */
    public static String value(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == 0) return (1 / v) < 0 ? "-0" : "0";
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static void appendEscaped(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
    }
}
