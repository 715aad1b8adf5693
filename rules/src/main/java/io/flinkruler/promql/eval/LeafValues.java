package io.flinkruler.promql.eval;

import io.flinkruler.model.Labels;
import io.flinkruler.model.LabelsCodec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The per-series step's output for one rule and one evaluation timestamp: each leaf's values for
 * the series of one shard (or, after {@link #mergeFrom}, of several), plus the annotations and the
 * first error the leaves produced. Shards hold disjoint series, so merging concatenates.
 */
public final class LeafValues {
    final LeafData[] leaves;
    final List<Annotation> annotations = new ArrayList<>();
    String error;

    LeafValues(LeafData[] leaves) {
        this.leaves = leaves;
    }

    /** True when no leaf has any series and nothing went wrong (nothing worth shipping). */
    public boolean isEmpty() {
        if (error != null || !annotations.isEmpty()) return false;
        for (LeafData d : leaves) if (d.seriesCount > 0) return false;
        return true;
    }

    public void mergeFrom(LeafValues other) {
        if (other.leaves.length != leaves.length) throw new IllegalArgumentException("leaf values of different plans");
        for (int i = 0; i < leaves.length; i++) leaves[i].mergeFrom(other.leaves[i]);
        for (Annotation a : other.annotations) if (!annotations.contains(a)) annotations.add(a);
        if (error == null) error = other.error;
    }

    /**
     * The size of {@link #writeTo}'s output when every string is ASCII (more otherwise), so that the
     * output can be sized once.
     */
    public int serializedSizeHint() {
        long size = 4;
        for (LeafData d : leaves) {
            int times = d.times.length;
            size += 1 + 4 + 8L * times + 4;
            for (int s = 0; s < d.seriesCount; s++) {
                Labels l = d.labels[s];
                size += 2;
                for (int i = 0; i < l.size(); i++) size += 4 + l.name(i).length() + l.value(i).length();
                if (d.raw) {
                    size += 4L * (times + 1) + 16L * d.rawOffsets[s][times];
                } else {
                    for (int k = 0; k < times; k++) size += d.has(s, k) ? 9 : 1;
                }
            }
        }
        size += 4;
        for (Annotation a : annotations) size += 1 + 2 + a.message().length() + 4;
        size += 1 + (error == null ? 0 : 2 + error.length());
        return (int) Math.min(size, Integer.MAX_VALUE - 16);
    }

    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(leaves.length);
        for (LeafData d : leaves) {
            out.writeBoolean(d.raw);
            out.writeInt(d.times.length);
            for (long t : d.times) out.writeLong(t);
            out.writeInt(d.seriesCount);
            for (int s = 0; s < d.seriesCount; s++) {
                LabelsCodec.write(d.labels[s], out);
                if (d.raw) {
                    int[] off = d.rawOffsets[s];
                    for (int k = 0; k <= d.times.length; k++) out.writeInt(off[k]);
                    int total = off[d.times.length];
                    for (int i = 0; i < total; i++) {
                        out.writeLong(d.rawTs[s][i]);
                        out.writeLong(Double.doubleToRawLongBits(d.rawVs[s][i]));
                    }
                } else {
                    for (int k = 0; k < d.times.length; k++) {
                        boolean has = d.has(s, k);
                        out.writeBoolean(has);
                        if (has) out.writeLong(Double.doubleToRawLongBits(d.get(s, k)));
                    }
                }
            }
        }
        out.writeInt(annotations.size());
        for (Annotation a : annotations) {
            out.writeBoolean(a.info());
            out.writeUTF(a.message());
            out.writeInt(a.position());
        }
        out.writeBoolean(error != null);
        if (error != null) out.writeUTF(error);
    }

    public static LeafValues readFrom(DataInput in) throws IOException {
        return readFrom(in, null);
    }

    /**
     * Reads leaf values written by {@link #writeTo} and appends them to {@code into} as {@link #mergeFrom}
     * would, without building them apart first; with {@code into} null, returns the values read.
     */
    public static LeafValues readFrom(DataInput in, LeafValues into) throws IOException {
        int n = in.readInt();
        if (into != null && n != into.leaves.length) throw new IllegalArgumentException("leaf values of different plans");
        LeafData[] leaves = into != null ? into.leaves : new LeafData[n];
        for (int i = 0; i < n; i++) {
            boolean raw = in.readBoolean();
            long[] times = new long[in.readInt()];
            for (int k = 0; k < times.length; k++) times[k] = in.readLong();
            if (into == null) {
                leaves[i] = new LeafData(times, raw);
            } else if (!Arrays.equals(leaves[i].times, times) || leaves[i].raw != raw) {
                throw new IllegalArgumentException("leaf values of different evaluations cannot be merged");
            }
            leaves[i].readSeries(in, in.readInt());
        }
        LeafValues v = into != null ? into : new LeafValues(leaves);
        int annos = in.readInt();
        for (int i = 0; i < annos; i++) {
            Annotation a = new Annotation(in.readBoolean(), in.readUTF(), in.readInt());
            if (into == null || !v.annotations.contains(a)) v.annotations.add(a);
        }
        String error = in.readBoolean() ? in.readUTF() : null;
        if (v.error == null) v.error = error;
        return v;
    }
}
