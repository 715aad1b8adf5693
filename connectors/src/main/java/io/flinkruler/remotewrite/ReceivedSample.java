package io.flinkruler.remotewrite;

import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;

import java.time.Instant;

/** A sample as taken in by {@link LocalRemoteWriteReceiver}; equality compares the value's raw bits. */
public record ReceivedSample(String tenant, Labels labels, long timestampMs, double value) {
    @Override
    public boolean equals(Object o) {
        return o instanceof ReceivedSample s && tenant.equals(s.tenant) && labels.equals(s.labels) && timestampMs == s.timestampMs
                && Double.doubleToRawLongBits(value) == Double.doubleToRawLongBits(s.value);
    }

    @Override
    public int hashCode() {
        return (tenant.hashCode() * 31 + labels.hashCode()) * 31 + Long.hashCode(timestampMs);
    }

    /** {@code name{a="b"} = 0.25 @2026-01-01T00:00:00Z}; the staleness marker shows as {@code stale}. */
    @Override
    public String toString() {
        return labels + " = " + formatValue(value) + " @" + Instant.ofEpochMilli(timestampMs);
    }

    static String formatValue(double v) {
        if (StaleMarker.is(v)) return "stale";
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
