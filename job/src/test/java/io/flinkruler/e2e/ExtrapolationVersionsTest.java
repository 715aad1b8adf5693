package io.flinkruler.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.testsupport.OpenMetricsTestData;
import io.flinkruler.testsupport.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExtrapolationVersionsTest {
    private static final long MINUTE = 60_000;

    /** A counter sampled every 4 minutes from t=0 (3 samples up to t=8m), growing by 240 per sample. */
    private static List<Sample> counterFrom(double firstValue) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) out.add(new Sample(i * 4 * MINUTE, firstValue + 240 * i));
        return out;
    }

    @Test
    void seriesStartingInsideTheRangeDiffersOnlyWhenTheZeroPointIsBetweenHalfAndOnePointOneIntervals() {
        long rangeStart = -10 * MINUTE;   // rate(x[20m]) at t=10m: the series starts 10m after the range start
        // zero point 1m before the first sample: below half an interval (2m), both versions cut there
        assertFalse(ExtrapolationVersions.leftExtrapolationDiffers(counterFrom(60), rangeStart));
        // zero point 3m before: 2.42 extrapolates 3m (below 1.1 x 4m), 3.x only half an interval (2m)
        assertTrue(ExtrapolationVersions.leftExtrapolationDiffers(counterFrom(180), rangeStart));
        // zero point 5m before: beyond 1.1 intervals, both versions extrapolate half an interval
        assertFalse(ExtrapolationVersions.leftExtrapolationDiffers(counterFrom(300), rangeStart));
    }

    @Test
    void seriesCoveringTheRangeStartIsExtrapolatedAlikeWhateverTheZeroPoint() {
        long rangeStart = -3 * MINUTE;   // the first sample lies 3m after the range start, below 1.1 x 4m
        for (double first : new double[] {0, 60, 180, 300}) {
            assertFalse(ExtrapolationVersions.leftExtrapolationDiffers(counterFrom(first), rangeStart), "first value " + first);
        }
    }

    @Test
    void inTheEndToEndDataOnlyTheFirstHistogramRatesDiffer() {
        OpenMetricsTestData data = OpenMetricsTestData.generate();
        List<Long> everyMinute = data.evaluationTimestamps(MINUTE);
        long start = data.startMs();
        assertEquals(Set.of(start + MINUTE, start + 2 * MINUTE, start + 3 * MINUTE, start + 4 * MINUTE),
                ExtrapolationVersions.timestampsWhereTheyDiffer(data.series(), "request_duration_seconds_bucket", 5 * MINUTE, everyMinute));
        // the request counters start at up to 1000: their zero points lie far before their first samples
        assertEquals(Set.of(),
                ExtrapolationVersions.timestampsWhereTheyDiffer(data.series(), "http_requests_total", 5 * MINUTE, everyMinute));
    }
}
