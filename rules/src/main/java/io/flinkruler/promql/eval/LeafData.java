package io.flinkruler.promql.eval;

import io.flinkruler.model.Labels;
import io.flinkruler.model.LabelsCodec;

import java.io.DataInput;
import java.io.IOException;

import java.util.Arrays;

/**
 * The results of one leaf for one evaluation: for every series that had a value at one of the
 * leaf's query times, its labels and either one value per time (value leaves, with a presence
 * bitmap) or the raw samples of the range per time (raw range leaves).
 */
final class LeafData {
    final long[] times;
    final boolean raw;
    int seriesCount;
    Labels[] labels = new Labels[4];
    /** Value leaves: value of series s at time k at [s * times.length + k]. */
    double[] values;
    long[] present;
    /** Raw leaves: per series, offsets into its samples per time (times.length + 1 entries). */
    int[][] rawOffsets;
    long[][] rawTs;
    double[][] rawVs;
    /** Series order by labels, computed on first use by the per-rule step. */
    private int[] sortedOrder;

    LeafData(long[] times, boolean raw) {
        this.times = times;
        this.raw = raw;
        if (raw) {
            rawOffsets = new int[4][];
            rawTs = new long[4][];
            rawVs = new double[4][];
        } else {
            values = new double[4 * Math.max(1, times.length)];
            present = new long[(4 * Math.max(1, times.length) + 63) >>> 6];
        }
    }

    private void ensureSeries(int count) {
        if (labels.length >= count) return;
        int cap = Math.max(count, labels.length * 2);
        labels = Arrays.copyOf(labels, cap);
        if (raw) {
            rawOffsets = Arrays.copyOf(rawOffsets, cap);
            rawTs = Arrays.copyOf(rawTs, cap);
            rawVs = Arrays.copyOf(rawVs, cap);
        } else {
            int slots = cap * Math.max(1, times.length);
            values = Arrays.copyOf(values, slots);
            present = Arrays.copyOf(present, (slots + 63) >>> 6);
        }
    }

    /** Adds a value series; returns its index. Values are then set with {@link #set}. */
    int addValueSeries(Labels l) {
        ensureSeries(seriesCount + 1);
        labels[seriesCount] = l;
        return seriesCount++;
    }

    void set(int series, int timeIndex, double v) {
        int slot = series * times.length + timeIndex;
        values[slot] = v;
        present[slot >>> 6] |= 1L << (slot & 63);
    }

    /** Removes the most recently added series (used when it had no value at any time). */
    void dropLast() {
        seriesCount--;
        if (!raw) {
            int base = seriesCount * times.length;
            for (int k = 0; k < times.length; k++) {
                int slot = base + k;
                present[slot >>> 6] &= ~(1L << (slot & 63));
            }
        }
    }

    boolean has(int series, int timeIndex) {
        int slot = series * times.length + timeIndex;
        return (present[slot >>> 6] & (1L << (slot & 63))) != 0;
    }

    double get(int series, int timeIndex) { return values[series * times.length + timeIndex]; }

    void addRawSeries(Labels l, int[] offsets, long[] ts, double[] vs) {
        ensureSeries(seriesCount + 1);
        labels[seriesCount] = l;
        rawOffsets[seriesCount] = offsets;
        rawTs[seriesCount] = ts;
        rawVs[seriesCount] = vs;
        seriesCount++;
    }

    int timeIndex(long t) { return Arrays.binarySearch(times, t); }

    /** Series indexes in label order; computed once, then kept until series are added. */
    int[] sortedOrder() {
        if (sortedOrder == null || sortedOrder.length != seriesCount) sortedOrder = LabelsOrder.sort(labels, seriesCount);
        return sortedOrder;
    }

    /** Appends {@code count} series in {@link LeafValues#writeTo} form. */
    void readSeries(DataInput in, int count) throws IOException {
        ensureSeries(seriesCount + count);
        for (int s = 0; s < count; s++) {
            Labels l = LabelsCodec.read(in);
            if (raw) {
                int[] off = new int[times.length + 1];
                for (int k = 0; k <= times.length; k++) off[k] = in.readInt();
                int total = off[times.length];
                long[] ts = new long[total];
                double[] vs = new double[total];
                for (int j = 0; j < total; j++) {
                    ts[j] = in.readLong();
                    vs[j] = Double.longBitsToDouble(in.readLong());
                }
                addRawSeries(l, off, ts, vs);
            } else {
                int idx = addValueSeries(l);
                for (int k = 0; k < times.length; k++) {
                    if (in.readBoolean()) set(idx, k, Double.longBitsToDouble(in.readLong()));
                }
            }
        }
        sortedOrder = null;
    }

    void mergeFrom(LeafData other) {
        if (!Arrays.equals(times, other.times) || raw != other.raw) {
            throw new IllegalArgumentException("leaf values of different evaluations cannot be merged");
        }
        ensureSeries(seriesCount + other.seriesCount);
        for (int s = 0; s < other.seriesCount; s++) {
            if (raw) {
                addRawSeries(other.labels[s], other.rawOffsets[s], other.rawTs[s], other.rawVs[s]);
            } else {
                int mine = addValueSeries(other.labels[s]);
                for (int k = 0; k < times.length; k++) {
                    if (other.has(s, k)) set(mine, k, other.get(s, k));
                }
            }
        }
        sortedOrder = null;
    }
}
