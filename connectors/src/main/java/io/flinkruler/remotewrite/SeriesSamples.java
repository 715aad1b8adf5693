package io.flinkruler.remotewrite;

import io.flinkruler.model.Labels;

import java.util.Arrays;

/**
 * One series and its samples as carried by a remote-write {@code TimeSeries} message. Values are compared
 * bit-exact (NaN payloads such as the staleness marker are distinct values here).
 */
public final class SeriesSamples {
    private final Labels labels;
    private final long[] timestampsMs;
    private final double[] values;

    /** Takes ownership of the arrays, which must have equal length. */
    public SeriesSamples(Labels labels, long[] timestampsMs, double[] values) {
        if (timestampsMs.length != values.length) {
            throw new IllegalArgumentException("timestamps and values differ in length: " + timestampsMs.length + " vs " + values.length);
        }
        this.labels = labels;
        this.timestampsMs = timestampsMs;
        this.values = values;
    }

    public Labels labels() { return labels; }
    public int size() { return values.length; }
    public long timestampMs(int i) { return timestampsMs[i]; }
    public double value(int i) { return values[i]; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SeriesSamples other)) return false;
        if (!labels.equals(other.labels) || !Arrays.equals(timestampsMs, other.timestampsMs) || values.length != other.values.length) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            if (Double.doubleToRawLongBits(values[i]) != Double.doubleToRawLongBits(other.values[i])) return false;
        }
        return true;
    }

    @Override
    public int hashCode() { return labels.hashCode() * 31 + Arrays.hashCode(timestampsMs); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(labels.toString()).append(" [");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(values[i]).append(" @").append(timestampsMs[i]);
        }
        return sb.append(']').toString();
    }
}
