package io.flinkruler.promql.eval;

import io.flinkruler.model.Labels;
import io.flinkruler.model.LabelsCodec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One shard's series: per series a pair of growable primitive arrays (timestamps, values) in
 * timestamp order, plus an index by metric name so that a selector with {@code __name__="x"} only
 * visits the series of x. Series ids are stable while the series lives; ids of dropped series are
 * reused. Not thread-safe.
 */
public final class SeriesStore {
    private static final int[] NO_IDS = new int[0];

    private Labels[] labels = new Labels[16];
    private long[][] times = new long[16][];
    private double[][] values = new double[16][];
    /** Index of the first live sample of each series (eviction advances it; appends compact lazily). */
    private int[] head = new int[16];
    /** One past the last live sample of each series. */
    private int[] tail = new int[16];
    private int slots;
    private int[] freeIds = new int[8];
    private int freeCount;
    private int liveSeries;
    private long liveSamples;
    private final Map<Labels, Integer> idByLabels = new HashMap<>();
    private final Map<String, IdSet> idsByName = new HashMap<>();

    public SeriesStore() {}

    /** The id of the series with these labels, adding an empty series if it is new. */
    public int seriesId(Labels labelSet) {
        Integer existing = idByLabels.get(labelSet);
        if (existing != null) return existing;
        int id;
        if (freeCount > 0) {
            id = freeIds[--freeCount];
        } else {
            id = slots++;
            if (id == labels.length) grow();
        }
        labels[id] = labelSet;
        times[id] = new long[4];
        values[id] = new double[4];
        head[id] = 0;
        tail[id] = 0;
        idByLabels.put(labelSet, id);
        idsByName.computeIfAbsent(labelSet.metricName(), k -> new IdSet()).add(id);
        liveSeries++;
        return id;
    }

    private void grow() {
        int n = labels.length * 2;
        labels = Arrays.copyOf(labels, n);
        times = Arrays.copyOf(times, n);
        values = Arrays.copyOf(values, n);
        head = Arrays.copyOf(head, n);
        tail = Arrays.copyOf(tail, n);
    }

    /** Appends a sample; returns false (and stores nothing) unless tsMs is after the series' last timestamp. */
    public boolean append(int seriesId, long tsMs, double value) {
        int t = tail[seriesId];
        long[] ts = times[seriesId];
        if (t > head[seriesId] && ts[t - 1] >= tsMs) return false;
        if (t == ts.length) {
            compactOrGrow(seriesId);
            ts = times[seriesId];
            t = tail[seriesId];
        }
        ts[t] = tsMs;
        values[seriesId][t] = value;
        tail[seriesId] = t + 1;
        liveSamples++;
        return true;
    }

    public boolean append(Labels labelSet, long tsMs, double value) {
        return append(seriesId(labelSet), tsMs, value);
    }

    private void compactOrGrow(int id) {
        int h = head[id];
        int n = tail[id] - h;
        long[] ts = times[id];
        double[] vs = values[id];
        if (h > 0 && n <= ts.length / 2) {
            System.arraycopy(ts, h, ts, 0, n);
            System.arraycopy(vs, h, vs, 0, n);
        } else {
            long[] nts = new long[ts.length * 2];
            double[] nvs = new double[ts.length * 2];
            System.arraycopy(ts, h, nts, 0, n);
            System.arraycopy(vs, h, nvs, 0, n);
            times[id] = nts;
            values[id] = nvs;
        }
        head[id] = 0;
        tail[id] = n;
    }

    /** Drops samples with ts < minTsMs, and series left without samples. */
    public void evictBefore(long minTsMs) {
        for (int id = 0; id < slots; id++) {
            if (labels[id] == null) continue;
            int h = head[id];
            int t = tail[id];
            long[] ts = times[id];
            int newHead = lowerBound(ts, h, t, minTsMs);
            liveSamples -= newHead - h;
            head[id] = newHead;
            if (newHead == t) removeSeries(id);
        }
    }

    private void removeSeries(int id) {
        Labels l = labels[id];
        idByLabels.remove(l);
        IdSet set = idsByName.get(l.metricName());
        if (set != null) {
            set.remove(id);
            if (set.size == 0) idsByName.remove(l.metricName());
        }
        labels[id] = null;
        times[id] = null;
        values[id] = null;
        head[id] = 0;
        tail[id] = 0;
        if (freeCount == freeIds.length) freeIds = Arrays.copyOf(freeIds, freeCount * 2);
        freeIds[freeCount++] = id;
        liveSeries--;
    }

    public int seriesCount() { return liveSeries; }

    public long sampleCount() { return liveSamples; }

    // ---- read access for the per-series step (package-private, no copies) ----

    /** Upper bound (exclusive) of ids to iterate; slots of dropped series return null labels. */
    int idLimit() { return slots; }

    Labels labels(int id) { return labels[id]; }

    long[] times(int id) { return times[id]; }

    double[] values(int id) { return values[id]; }

    int head(int id) { return head[id]; }

    int tail(int id) { return tail[id]; }

    /** Ids of the series with this metric name (a live view; do not modify the store while iterating). */
    int[] idsWithName(String metricName) {
        IdSet s = idsByName.get(metricName);
        return s == null ? NO_IDS : s.ids;
    }

    int idsWithNameCount(String metricName) {
        IdSet s = idsByName.get(metricName);
        return s == null ? 0 : s.size;
    }

    /** First index in [from, to) whose timestamp is >= ts. */
    static int lowerBound(long[] ts, int from, int to, long t) {
        int lo = from, hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] < t) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** First index in [from, to) whose timestamp is > ts. */
    static int upperBound(long[] ts, int from, int to, long t) {
        int lo = from, hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] <= t) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    // ---- snapshot ----

    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(liveSeries);
        for (int id = 0; id < slots; id++) {
            if (labels[id] == null) continue;
            LabelsCodec.write(labels[id], out);
            int h = head[id];
            int n = tail[id] - h;
            out.writeInt(n);
            long[] ts = times[id];
            double[] vs = values[id];
            for (int i = h; i < h + n; i++) {
                out.writeLong(ts[i]);
                out.writeLong(Double.doubleToRawLongBits(vs[i]));
            }
        }
    }

    public static SeriesStore readFrom(DataInput in) throws IOException {
        SeriesStore store = new SeriesStore();
        int n = in.readInt();
        for (int s = 0; s < n; s++) {
            Labels l = LabelsCodec.read(in);
            int id = store.seriesId(l);
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                long t = in.readLong();
                double v = Double.longBitsToDouble(in.readLong());
                store.append(id, t, v);
            }
        }
        return store;
    }

    /** A small growable set of ints with O(1) removal by swapping with the last element. */
    private static final class IdSet {
        int[] ids = new int[4];
        int size;

        void add(int id) {
            if (size == ids.length) ids = Arrays.copyOf(ids, size * 2);
            ids[size++] = id;
        }

        void remove(int id) {
            for (int i = 0; i < size; i++) {
                if (ids[i] == id) {
                    ids[i] = ids[--size];
                    return;
                }
            }
        }
    }
}
