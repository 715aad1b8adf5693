package io.flinkruler.job.records;

import io.flinkruler.model.Labels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The binary form of many samples of many series (a batch on its way to its shard, a block waiting in a shard's
 * state). Label names and values are written once per batch and then referred to by number: a batch holds many
 * series of few names (and of few jobs, metrics, hosts), and writing and reading every string costs more than the
 * rest of the batch (measured with {@code StateScaleBenchmark} and in a profile of a whole job). Reading gives the
 * series of a batch shared strings. Consecutive samples of one series share their labels.
 */
public final class LabeledSamplesCodec {
    private static final int SAME_SERIES = 0;

    private LabeledSamplesCodec() {}

    /** Samples as arrays of equal length. */
    public record Samples(Labels[] series, long[] timestampsMs, double[] values) {}

    public static void write(Labels[] series, long[] timestampsMs, double[] values, DataOutputView out) throws IOException {
        out.writeInt(series.length);
        Map<String, Integer> strings = new HashMap<>(Math.max(16, series.length));
        Labels previous = null;
        for (int i = 0; i < series.length; i++) {
            Labels l = series[i];
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
            out.writeLong(timestampsMs[i]);
            out.writeLong(Double.doubleToRawLongBits(values[i]));
        }
    }

    public static Samples read(DataInputView in) throws IOException {
        int n = in.readInt();
        Labels[] series = new Labels[n];
        long[] ts = new long[n];
        double[] values = new double[n];
        List<String> strings = new ArrayList<>();
        Labels previous = null;
        for (int i = 0; i < n; i++) {
            int count = readVarInt(in);
            if (count == SAME_SERIES) {
                if (previous == null) throw new IOException("the first sample of a batch refers to a previous series");
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
        return new Samples(series, ts, values);
    }

    /** A string's number in the batch; the string itself follows its first use. */
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
        if (id != strings.size()) throw new IOException("a batch refers to string " + id + " of " + strings.size());
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
        throw new IOException("malformed varint in a batch of samples");
    }
}
