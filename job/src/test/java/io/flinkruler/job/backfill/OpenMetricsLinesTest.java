package io.flinkruler.job.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkruler.model.Labels;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OpenMetricsLinesTest {
    @Test
    void sampleLineWithEscapedLabelValues() {
        StringBuilder sb = new StringBuilder();
        OpenMetricsLines.appendSample(sb, Labels.of("__name__", "job:x:rate5m", "job", "a\"b\\c\nd", "le", "+Inf"), 0.25, 1_577_836_800_123L);
        assertEquals("job:x:rate5m{job=\"a\\\"b\\\\c\\nd\",le=\"+Inf\"} 0.25 1577836800.123\n", sb.toString());
    }

    @Test
    void seriesWithoutLabelsAndSpecialValues() {
        StringBuilder sb = new StringBuilder();
        OpenMetricsLines.appendSample(sb, Labels.of("__name__", "up"), Double.NaN, 1000);
        OpenMetricsLines.appendSample(sb, Labels.of("__name__", "up"), Double.NEGATIVE_INFINITY, 2000);
        OpenMetricsLines.appendSample(sb, Labels.of("__name__", "up"), 1e-300, 3000);
        assertEquals("up NaN 1.000\nup -Inf 2.000\nup " + new java.math.BigDecimal("1e-300").toPlainString() + " 3.000\n", sb.toString());
    }

    /** promtool reads seconds as a float and truncates seconds*1000: every written timestamp must come back exact. */
    @Test
    void timestampsSurvivePromtoolsTruncatingConversion() {
        Random random = new Random(1);
        assertEquals(1093777596942L, (long) (Double.parseDouble(OpenMetricsLines.timestamp(1093777596942L)) * 1000));
        for (int i = 0; i < 100_000; i++) {
            long ms = 946_684_800_000L + (long) (random.nextDouble() * 4_000_000_000_000L);
            assertEquals(ms, (long) (Double.parseDouble(OpenMetricsLines.timestamp(ms)) * 1000), "ms " + ms);
        }
    }

    @Test
    void valuesParseBackExactly() {
        Random random = new Random(2);
        for (int i = 0; i < 10_000; i++) {
            double v = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(v) || Double.isInfinite(v)) continue;
            assertEquals(v, Double.parseDouble(OpenMetricsLines.value(v)));
        }
    }
}
