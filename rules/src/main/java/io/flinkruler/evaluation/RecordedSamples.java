package io.flinkruler.evaluation;

import io.flinkruler.model.Labels;
import java.util.Arrays;

/** Output samples of one group evaluation, in rule order, each rule's series sorted by labels. */
public final class RecordedSamples {
    private Labels[] series = new Labels[16];
    private long[] timestampsMs = new long[16];
    private double[] values = new double[16];
    private int size;

    public void add(Labels labels, long timestampMs, double value) {
        if (size == series.length) {
            int n = size * 2;
            series = Arrays.copyOf(series, n);
            timestampsMs = Arrays.copyOf(timestampsMs, n);
            values = Arrays.copyOf(values, n);
        }
        series[size] = labels;
        timestampsMs[size] = timestampMs;
        values[size] = value;
        size++;
    }

    public int size() { return size; }
    public Labels series(int i) { return series[i]; }
    public long timestampMs(int i) { return timestampsMs[i]; }
    public double value(int i) { return values[i]; }
    public Labels[] seriesArray() { return Arrays.copyOf(series, size); }
    public long[] timestampArray() { return Arrays.copyOf(timestampsMs, size); }
    public double[] valueArray() { return Arrays.copyOf(values, size); }
}
