package io.flinkruler.e2e;

import io.flinkruler.model.Labels;
import io.flinkruler.testsupport.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Where {@code rate}/{@code increase} of a counter give different results in Prometheus 2.42 (the oracle) and
 * 3.x (what the job implements).
 *
 * <p>Both extrapolate the increase over the range to its start by {@code durationToStart} (first sample minus range
 * start), shortened in two ways: to half the average sample interval if it exceeds 1.1 times that interval (the series
 * starts inside the range), and to the time at which the counter, extrapolated backwards, reaches zero
 * ({@code durationToZero}). Up to v2.50, {@code extrapolatedRate} in {@code promql/functions.go} applied the zero cut
 * first and the 1.1x threshold to its result, so a series starting inside the range could be extrapolated by up to
 * 1.1 intervals; Prometheus commit 7f912db15a ("promql: Fix limiting of extrapolation to negative values", first in
 * v2.51.0) applies the threshold first, so the zero cut only ever shortens. The versions disagree exactly when the
 * first sample is at least 1.1 intervals after the range start and {@code durationToZero} lies strictly between half
 * an interval and 1.1 intervals; this class computes both versions' choice to tell.
 */
final class ExtrapolationVersions {
    private ExtrapolationVersions() {}

    /**
     * The timestamps of {@code timestamps} at which, for some series named {@code metricName} in {@code series},
     * the two versions extrapolate a {@code rangeMs} range differently.
     */
    static TreeSet<Long> timestampsWhereTheyDiffer(SortedMap<Labels, List<Sample>> series, String metricName, long rangeMs,
                                                   List<Long> timestamps) {
        TreeSet<Long> out = new TreeSet<>();
        for (Map.Entry<Labels, List<Sample>> e : series.entrySet()) {
            if (!metricName.equals(e.getKey().metricName())) continue;
            for (long t : timestamps) {
                if (leftExtrapolationDiffers(inRange(e.getValue(), t - rangeMs, t), t - rangeMs)) out.add(t);
            }
        }
        return out;
    }

    /** True if 2.42 and 3.x extrapolate the counter samples {@code inRange} to {@code rangeStartMs} differently. */
    static boolean leftExtrapolationDiffers(List<Sample> inRange, long rangeStartMs) {
        int n = inRange.size();
        if (n < 2) return false;   // no rate at all, in either version
        double first = inRange.get(0).value();
        double increase = inRange.get(n - 1).value() - first;
        for (int i = 1; i < n; i++) {
            if (inRange.get(i).value() < inRange.get(i - 1).value()) increase += inRange.get(i - 1).value();   // counter reset
        }
        double durationToStart = (inRange.get(0).timestampMs() - rangeStartMs) / 1000.0;
        double sampledInterval = (inRange.get(n - 1).timestampMs() - inRange.get(0).timestampMs()) / 1000.0;
        double averageInterval = sampledInterval / (n - 1);
        double threshold = 1.1 * averageInterval;
        boolean zeroCutApplies = increase > 0 && first >= 0;
        double durationToZero = zeroCutApplies ? sampledInterval * (first / increase) : Double.POSITIVE_INFINITY;

        double zeroCutFirst = Math.min(durationToStart, durationToZero);   // v2.42.0
        double v242 = zeroCutFirst < threshold ? zeroCutFirst : averageInterval / 2;
        double thresholdFirst = durationToStart >= threshold ? averageInterval / 2 : durationToStart;   // v2.51.0 and 3.x
        double v3 = Math.min(thresholdFirst, durationToZero);
        return v242 != v3;
    }

    /** The samples in the left-open range {@code (startMs, endMs]}. */
    private static List<Sample> inRange(List<Sample> samples, long startMs, long endMs) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) if (s.timestampMs() > startMs && s.timestampMs() <= endMs) out.add(s);
        return out;
    }
}
