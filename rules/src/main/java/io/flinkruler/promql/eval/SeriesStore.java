package io.flinkruler.promql.eval;

import io.flinkruler.model.Labels;
import io.flinkruler.model.LabelsCodec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One shard's series: per series a pair of growable primitive arrays (timestamps, values) in
 * timestamp order, plus postings (for a label name and a value, the ids of the series with that
 * value) so that a selector visits only the series of its most selective equality matcher. The metric
 * name is always indexed; any other label name from the first time a selector asks for it, so only
 * names that rules use in equality matchers cost memory. Series ids are stable while the series lives;
 * ids of dropped series are reused. Not thread-safe.
 */
public final class SeriesStore {
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
    /** The indexed label names, by column; column 0 is the metric name. */
    private LabelPostings[] columns = {new LabelPostings(Labels.METRIC_NAME, 0)};
    private final Map<String, LabelPostings> postingsByName = new HashMap<>();
    /**
     * {@code positions[id * columns.length + c]}: where series id sits in the posting list of its value
     * of column c's label name, -1 when it has no such label. What makes removal O(1) per posting.
     */
    private int[] positions = new int[16];

    public SeriesStore() {
        postingsByName.put(Labels.METRIC_NAME, columns[0]);
    }

    /** The id of the series with these labels, or -1 when the store does not hold it. */
    public int existingId(Labels labelSet) {
        Integer existing = idByLabels.get(labelSet);
        return existing == null ? -1 : existing;
    }

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
        for (LabelPostings column : columns) addPosting(column, id, labelSet);
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
        positions = Arrays.copyOf(positions, n * columns.length);
    }

    private void addPosting(LabelPostings column, int id, Labels labelSet) {
        String value = labelSet.get(column.name);
        int position = value.isEmpty() ? -1 : column.byValue.computeIfAbsent(value, v -> new PostingList()).add(id);
        positions[id * columns.length + column.index] = position;
    }

    private void removePostings(int id, Labels labelSet) {
        int stride = columns.length;
        for (LabelPostings column : columns) {
            int at = id * stride + column.index;
            int position = positions[at];
            if (position < 0) continue;
            positions[at] = -1;
            String value = labelSet.get(column.name);
            PostingList list = column.byValue.get(value);
            int moved = list.removeAt(position);
            if (moved >= 0) positions[moved * stride + column.index] = position;
            if (list.size() == 0) column.byValue.remove(value);
        }
    }

    /** Adds a column for {@code name} and the postings of every live series under it. */
    private LabelPostings indexLabelName(String name) {
        int oldStride = columns.length;
        int stride = oldStride + 1;
        int[] widened = new int[labels.length * stride];
        for (int id = 0; id < slots; id++) System.arraycopy(positions, id * oldStride, widened, id * stride, oldStride);
        positions = widened;
        LabelPostings column = new LabelPostings(name, oldStride);
        columns = Arrays.copyOf(columns, stride);
        columns[oldStride] = column;
        postingsByName.put(name, column);
        for (int id = 0; id < slots; id++) {
            if (labels[id] != null) addPosting(column, id, labels[id]);
            else positions[id * stride + column.index] = -1;
        }
        return column;
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

    /** Drops every series whose labels {@code keep} rejects (with its samples); returns how many were dropped. */
    public int retainSeries(java.util.function.Predicate<Labels> keep) {
        int dropped = 0;
        for (int id = 0; id < slots; id++) {
            if (labels[id] == null || keep.test(labels[id])) continue;
            liveSamples -= tail[id] - head[id];
            removeSeries(id);
            dropped++;
        }
        return dropped;
    }

    private void removeSeries(int id) {
        Labels l = labels[id];
        idByLabels.remove(l);
        removePostings(id, l);
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

    /**
     * The series whose label {@code name} has the non-empty {@code value}, or null when there are none
     * (a live view; do not modify the store while iterating). Indexes {@code name} on first use.
     */
    PostingList postings(String name, String value) {
        LabelPostings column = postingsByName.get(name);
        if (column == null) column = indexLabelName(name);
        return column.byValue.get(value);
    }

    /** The label names indexed so far, the metric name first. */
    public List<String> indexedLabelNames() {
        List<String> names = new ArrayList<>(columns.length);
        for (LabelPostings c : columns) names.add(c.name);
        return names;
    }

    /**
     * An estimate of the heap the postings take (positions, hash maps, posting lists; not the label
     * strings, which the series' labels hold anyway), assuming compressed references: 12-byte object
     * headers, 4-byte references, 8-byte alignment.
     */
    public long indexFootprintBytes() {
        long bytes = arrayBytes(positions.length, 4) + arrayBytes(columns.length, 4);
        for (LabelPostings column : columns) {
            int entries = column.byValue.size();
            int table = Integer.highestOneBit(Math.max(1, (int) Math.ceil(entries / 0.75)) * 2 - 1);
            bytes += 24 /* LabelPostings */ + 48 /* HashMap */ + arrayBytes(table, 4);
            bytes += 32L * entries /* HashMap.Node */ + 24L * entries /* PostingList */;
            for (PostingList list : column.byValue.values()) bytes += arrayBytes(list.capacity(), 4);
        }
        return bytes;
    }

    private static long arrayBytes(int length, int elementBytes) {
        return (16 + (long) length * elementBytes + 7) & ~7L;
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

    /** The postings of one label name: for each value, the series that have it. */
    private static final class LabelPostings {
        final String name;
        /** Column of this name in {@link #positions}. */
        final int index;
        final Map<String, PostingList> byValue = new HashMap<>();

        LabelPostings(String name, int index) {
            this.name = name;
            this.index = index;
        }
    }
}
