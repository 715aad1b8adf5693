package io.flinkruler.promql.eval;

import io.flinkruler.model.Labels;
import io.flinkruler.model.LabelsCodec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
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
        int n = in.readInt();
        LeafData[] leaves = new LeafData[n];
        for (int i = 0; i < n; i++) {
            boolean raw = in.readBoolean();
            long[] times = new long[in.readInt()];
            for (int k = 0; k < times.length; k++) times[k] = in.readLong();
            LeafData d = new LeafData(times, raw);
            int series = in.readInt();
            for (int s = 0; s < series; s++) {
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
                    d.addRawSeries(l, off, ts, vs);
                } else {
                    int idx = d.addValueSeries(l);
                    for (int k = 0; k < times.length; k++) {
                        if (in.readBoolean()) d.set(idx, k, Double.longBitsToDouble(in.readLong()));
                    }
                }
            }
            leaves[i] = d;
        }
        LeafValues v = new LeafValues(leaves);
        int annos = in.readInt();
        for (int i = 0; i < annos; i++) v.annotations.add(new Annotation(in.readBoolean(), in.readUTF(), in.readInt()));
        if (in.readBoolean()) v.error = in.readUTF();
        return v;
    }
}
