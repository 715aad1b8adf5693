package io.flinkruler.remotewrite;

import static io.flinkruler.remotewrite.WriteRequestV2Fields.REQUEST_SYMBOLS;
import static io.flinkruler.remotewrite.WriteRequestV2Fields.REQUEST_TIMESERIES;
import static io.flinkruler.remotewrite.WriteRequestV2Fields.SAMPLE_TIMESTAMP;
import static io.flinkruler.remotewrite.WriteRequestV2Fields.SAMPLE_VALUE;
import static io.flinkruler.remotewrite.WriteRequestV2Fields.TIMESERIES_LABELS_REFS;
import static io.flinkruler.remotewrite.WriteRequestV2Fields.TIMESERIES_SAMPLES;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.flinkruler.model.Labels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Remote-write 2.0 wire form: protobuf {@code io.prometheus.write.v2.Request} compressed with the Snappy
 * block format. Every label name and value is written once into the request's symbol table and referenced
 * by index; {@code symbols[0]} is the empty string, as the specification requires.
 *
 * <pre>
 * Request    { repeated string symbols = 4; repeated TimeSeries timeseries = 5; }
 * TimeSeries { repeated uint32 labels_refs = 1 [packed]; repeated Sample samples = 2; ... }
 * Sample     { double value = 1; int64 timestamp = 2; }
 * </pre>
 *
 * Metadata, exemplars, histograms and created timestamps are not written (recording rules produce float
 * samples only) and are skipped when decoding.
 */
public final class WriteRequestV2Codec {
    private WriteRequestV2Codec() {}

    public static byte[] encodeCompressed(List<SeriesSamples> series) {
        return WriteRequestCodec.compress(encode(series));
    }

    public static List<SeriesSamples> decodeCompressed(byte[] body) throws IOException {
        return decode(WriteRequestCodec.decompress(body));
    }

    /** The uncompressed protobuf; labels must be valid as for {@link WriteRequestCodec#encode}. */
    public static byte[] encode(List<SeriesSamples> series) {
        Map<String, Integer> refs = new HashMap<>();
        List<String> symbols = new ArrayList<>();
        refs.put("", 0);
        symbols.add("");
        int[][] labelRefs = new int[series.size()][];
        for (int i = 0; i < series.size(); i++) {
            Labels labels = series.get(i).labels();
            WriteRequestCodec.requireValidLabels(labels);
            int[] r = new int[labels.size() * 2];
            for (int l = 0; l < labels.size(); l++) {
                r[2 * l] = symbolRef(labels.name(l), refs, symbols);
                r[2 * l + 1] = symbolRef(labels.value(l), refs, symbols);
            }
            labelRefs[i] = r;
        }
        int total = 0;
        for (String symbol : symbols) total += CodedOutputStream.computeStringSize(REQUEST_SYMBOLS, symbol);
        int[] seriesSizes = new int[series.size()];
        int[] refsSizes = new int[series.size()];
        for (int i = 0; i < series.size(); i++) {
            refsSizes[i] = packedSize(labelRefs[i]);
            seriesSizes[i] = timeSeriesSize(series.get(i), refsSizes[i]);
            total += lengthDelimitedSize(REQUEST_TIMESERIES, seriesSizes[i]);
        }
        byte[] buffer = new byte[total];
        CodedOutputStream out = CodedOutputStream.newInstance(buffer);
        try {
            for (String symbol : symbols) out.writeString(REQUEST_SYMBOLS, symbol);
            for (int i = 0; i < series.size(); i++) {
                out.writeTag(REQUEST_TIMESERIES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(seriesSizes[i]);
                writeTimeSeries(out, series.get(i), labelRefs[i], refsSizes[i]);
            }
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("protobuf size computation and encoding disagree", e);
        }
        return buffer;
    }

    private static int symbolRef(String symbol, Map<String, Integer> refs, List<String> symbols) {
        Integer ref = refs.get(symbol);
        if (ref != null) return ref;
        int next = symbols.size();
        refs.put(symbol, next);
        symbols.add(symbol);
        return next;
    }

    private static int packedSize(int[] values) {
        int size = 0;
        for (int v : values) size += CodedOutputStream.computeUInt32SizeNoTag(v);
        return size;
    }

    private static int timeSeriesSize(SeriesSamples s, int refsSize) {
        int size = refsSize == 0 ? 0 : lengthDelimitedSize(TIMESERIES_LABELS_REFS, refsSize);
        for (int i = 0; i < s.size(); i++) size += lengthDelimitedSize(TIMESERIES_SAMPLES, sampleSize(s.value(i), s.timestampMs(i)));
        return size;
    }

    private static int sampleSize(double value, long timestampMs) {
        return (Double.doubleToRawLongBits(value) == 0L ? 0 : CodedOutputStream.computeDoubleSize(SAMPLE_VALUE, value))
                + (timestampMs == 0 ? 0 : CodedOutputStream.computeInt64Size(SAMPLE_TIMESTAMP, timestampMs));
    }

    private static int lengthDelimitedSize(int field, int contentSize) {
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(contentSize) + contentSize;
    }

    private static void writeTimeSeries(CodedOutputStream out, SeriesSamples s, int[] refs, int refsSize) throws IOException {
        if (refsSize > 0) {
            out.writeTag(TIMESERIES_LABELS_REFS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(refsSize);
            for (int ref : refs) out.writeUInt32NoTag(ref);
        }
        for (int i = 0; i < s.size(); i++) {
            double value = s.value(i);
            long timestampMs = s.timestampMs(i);
            out.writeTag(TIMESERIES_SAMPLES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(sampleSize(value, timestampMs));
            if (Double.doubleToRawLongBits(value) != 0L) out.writeDouble(SAMPLE_VALUE, value);
            if (timestampMs != 0) out.writeInt64(SAMPLE_TIMESTAMP, timestampMs);
        }
    }

    /**
     * Parses an uncompressed {@code Request}. Series are resolved against the symbol table, which may come
     * before or after them in the message; a reference outside the table is an IOException.
     */
    public static List<SeriesSamples> decode(byte[] protobuf) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(protobuf);
        List<String> symbols = new ArrayList<>();
        List<RawSeries> raw = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == ((REQUEST_SYMBOLS << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                symbols.add(in.readStringRequireUtf8());
            } else if (tag == ((REQUEST_TIMESERIES << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int limit = in.pushLimit(in.readRawVarint32());
                raw.add(readTimeSeries(in));
                in.popLimit(limit);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        List<SeriesSamples> result = new ArrayList<>(raw.size());
        for (RawSeries s : raw) result.add(new SeriesSamples(labels(s.refs, symbols), s.timestamps, s.values));
        return result;
    }

    private record RawSeries(int[] refs, long[] timestamps, double[] values) {}

    private static RawSeries readTimeSeries(CodedInputStream in) throws IOException {
        List<Integer> refs = new ArrayList<>();
        List<long[]> samples = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            int wireType = WireFormat.getTagWireType(tag);
            if (field == TIMESERIES_LABELS_REFS && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int limit = in.pushLimit(in.readRawVarint32());
                while (in.getBytesUntilLimit() > 0) refs.add(in.readUInt32());
                in.popLimit(limit);
            } else if (field == TIMESERIES_LABELS_REFS && wireType == WireFormat.WIRETYPE_VARINT) {
                refs.add(in.readUInt32());
            } else if (field == TIMESERIES_SAMPLES && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int limit = in.pushLimit(in.readRawVarint32());
                samples.add(readSample(in));
                in.popLimit(limit);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        int[] r = new int[refs.size()];
        for (int i = 0; i < r.length; i++) r[i] = refs.get(i);
        long[] timestamps = new long[samples.size()];
        double[] values = new double[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            values[i] = Double.longBitsToDouble(samples.get(i)[0]);
            timestamps[i] = samples.get(i)[1];
        }
        return new RawSeries(r, timestamps, values);
    }

    private static long[] readSample(CodedInputStream in) throws IOException {
        long valueBits = 0;
        long timestampMs = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == ((SAMPLE_VALUE << 3) | WireFormat.WIRETYPE_FIXED64)) valueBits = in.readRawLittleEndian64();
            else if (tag == ((SAMPLE_TIMESTAMP << 3) | WireFormat.WIRETYPE_VARINT)) timestampMs = in.readInt64();
            else if (!in.skipField(tag)) break;
        }
        return new long[] {valueBits, timestampMs};
    }

    private static Labels labels(int[] refs, List<String> symbols) throws IOException {
        if (refs.length % 2 != 0) throw new IOException("odd number of label references: " + refs.length);
        TreeMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < refs.length; i += 2) {
            if (refs[i] >= symbols.size() || refs[i + 1] >= symbols.size() || refs[i] < 0 || refs[i + 1] < 0) {
                throw new IOException("label reference outside the symbol table of " + symbols.size() + " symbols");
            }
            map.put(symbols.get(refs[i]), symbols.get(refs[i + 1]));
        }
        return Labels.fromMap(map);
    }
}
