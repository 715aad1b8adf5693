package io.flinkruler.job.state;

import io.flinkruler.flink.RecordSerializer;
import io.flinkruler.flink.RecordTypeInfo;
import io.flinkruler.model.Labels;
import io.flinkruler.promql.eval.SeriesStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.metrics.Counter;

/**
 * The samples of one batch (none late) as they arrived, with the watermark at their arrival: what an append-only
 * shard storage keeps until the shard's next timer appends them to its series.
 */
public record SampleBlock(long watermark, Labels[] series, long[] timestampsMs, double[] values) {

    public int size() { return series.length; }

    public long earliestMs() {
        long earliest = Long.MAX_VALUE;
        for (long ts : timestampsMs) earliest = Math.min(earliest, ts);
        return earliest;
    }

    /** Appends the samples in order; returns the earliest timestamp stored ({@link Long#MAX_VALUE}: none). */
    public long appendTo(SeriesStore store, Counter outOfOrder) {
        return append(store, series, timestampsMs, values, outOfOrder);
    }

    /**
     * Appends samples in order, counting those not after their series' last sample (stored nothing for them);
     * returns the earliest timestamp stored ({@link Long#MAX_VALUE}: none).
     */
    public static long append(SeriesStore store, Labels[] series, long[] timestampsMs, double[] values, Counter outOfOrder) {
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < series.length; i++) {
            if (!store.append(series[i], timestampsMs[i], values[i])) {
                outOfOrder.inc();
                continue;
            }
            earliest = Math.min(earliest, timestampsMs[i]);
        }
        return earliest;
    }

    public static TypeInformation<SampleBlock> typeInfo() {
        return new RecordTypeInfo<>(SampleBlock.class, Serializer.INSTANCE);
    }

    /**
     * Label names and values are written once per block and then referred to by number: a block holds many series
     * of few names (and of few jobs, metrics, hosts), and writing every string out costs more than the rest of the
     * block (measured with {@code StateScaleBenchmark}). Consecutive samples of one series share their labels.
     */
    public static final class Serializer extends RecordSerializer<SampleBlock> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();
        private static final int SAME_SERIES = 0;

        @Override
        protected void write(SampleBlock b, DataOutputView out) throws IOException {
            out.writeByte(1);
            out.writeLong(b.watermark);
            out.writeInt(b.series.length);
            Map<String, Integer> strings = new HashMap<>(2048);
            Labels previous = null;
            for (int i = 0; i < b.series.length; i++) {
                Labels l = b.series[i];
                if (l == previous) {
                    writeVarInt(SAME_SERIES, out);
                } else {
                    writeVarInt(l.size() + 1, out);
                    for (int k = 0; k < l.size(); k++) {
                        writeString(l.name(k), strings, out);
                        writeString(l.value(k), strings, out);
                    }
                }
                previous = l;
                out.writeLong(b.timestampsMs[i]);
                out.writeLong(Double.doubleToRawLongBits(b.values[i]));
            }
        }

        @Override
        protected SampleBlock read(DataInputView in) throws IOException {
            int version = in.readByte();
            if (version != 1) throw new IOException("unknown sample block version " + version);
            long watermark = in.readLong();
            int n = in.readInt();
            Labels[] series = new Labels[n];
            long[] ts = new long[n];
            double[] values = new double[n];
            List<String> strings = new ArrayList<>();
            Labels previous = null;
            for (int i = 0; i < n; i++) {
                int count = readVarInt(in);
                if (count == SAME_SERIES) {
                    series[i] = previous;
                } else {
                    String[] names = new String[count - 1];
                    String[] labelValues = new String[count - 1];
                    for (int k = 0; k < names.length; k++) {
                        names[k] = readString(strings, in);
                        labelValues[k] = readString(strings, in);
                    }
                    series[i] = Labels.ofSorted(names, labelValues);
                }
                previous = series[i];
                ts[i] = in.readLong();
                values[i] = Double.longBitsToDouble(in.readLong());
            }
            return new SampleBlock(watermark, series, ts, values);
        }

        /** A string's number in the block; the string itself follows its first use. */
        private static void writeString(String s, Map<String, Integer> strings, DataOutputView out) throws IOException {
            Integer known = strings.get(s);
            if (known != null) {
                writeVarInt(known, out);
                return;
            }
            int id = strings.size();
            strings.put(s, id);
            writeVarInt(id, out);
            out.writeUTF(s);
        }

        private static String readString(List<String> strings, DataInputView in) throws IOException {
            int id = readVarInt(in);
            if (id < strings.size()) return strings.get(id);
            if (id != strings.size()) throw new IOException("sample block refers to string " + id + " of " + strings.size());
            String s = in.readUTF();
            strings.add(s);
            return s;
        }

        private static void writeVarInt(int v, DataOutputView out) throws IOException {
            while ((v & ~0x7F) != 0) {
                out.writeByte((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out.writeByte(v);
        }

        private static int readVarInt(DataInputView in) throws IOException {
            int v = 0;
            for (int shift = 0; shift < 32; shift += 7) {
                int b = in.readUnsignedByte();
                v |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) return v;
            }
            throw new IOException("malformed varint in sample block");
        }

        @Override
        public TypeSerializerSnapshot<SampleBlock> snapshotConfiguration() { return new Snapshot(); }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SampleBlock> {
        public Snapshot() { super(() -> Serializer.INSTANCE); }
    }
}
