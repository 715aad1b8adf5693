package io.flinkruler.remotewrite;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.flinkruler.model.Labels;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Remote-write 1.0 wire form: protobuf {@code prometheus.WriteRequest} compressed with the Snappy block format.
 *
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }
 * </pre>
 *
 * Encoded by hand so that no generated classes are needed. Like proto3 encoders, fields holding their
 * default are left out, except that a value is only omitted when its bits are all zero, so {@code -0.0}
 * survives (a decoder fills omitted fields with 0).
 */
public final class WriteRequestCodec {
    private static final int WRITE_REQUEST_TIMESERIES = 1;
    private static final int TIMESERIES_LABELS = 1;
    private static final int TIMESERIES_SAMPLES = 2;
    private static final int LABEL_NAME = 1;
    private static final int LABEL_VALUE = 2;
    private static final int SAMPLE_VALUE = 1;
    private static final int SAMPLE_TIMESTAMP = 2;

    private WriteRequestCodec() {}

    private static int tag(int field, int wireType) {
        return (field << 3) | wireType;
    }

    /** Protobuf then Snappy: the body of a remote-write POST. */
    public static byte[] encodeCompressed(List<SeriesSamples> series) {
        return compress(encode(series));
    }

    public static List<SeriesSamples> decodeCompressed(byte[] body) throws IOException {
        return decode(decompress(body));
    }

    /**
     * The uncompressed protobuf. Every series must have labels sorted by name, unique, with a metric name,
     * as receivers reject or mis-index anything else.
     */
    public static byte[] encode(List<SeriesSamples> series) {
        int[] seriesSizes = new int[series.size()];
        int total = 0;
        for (int i = 0; i < series.size(); i++) {
            SeriesSamples s = series.get(i);
            requireValidLabels(s.labels());
            seriesSizes[i] = timeSeriesSize(s);
            total += lengthDelimitedSize(WRITE_REQUEST_TIMESERIES, seriesSizes[i]);
        }
        byte[] buffer = new byte[total];
        CodedOutputStream out = CodedOutputStream.newInstance(buffer);
        try {
            for (int i = 0; i < series.size(); i++) {
                out.writeTag(WRITE_REQUEST_TIMESERIES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(seriesSizes[i]);
                writeTimeSeries(out, series.get(i));
            }
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("protobuf size computation and encoding disagree", e);
        }
        return buffer;
    }

    /** Throws {@link IllegalArgumentException} unless names are strictly ascending and {@code __name__} is set. */
    public static void requireValidLabels(Labels labels) {
        if (!hasValidLabels(labels)) {
            throw new IllegalArgumentException("labels must be sorted, unique, non-empty and include " + Labels.METRIC_NAME + ": " + labels);
        }
    }

    public static boolean hasValidLabels(Labels labels) {
        boolean hasName = false;
        for (int i = 0; i < labels.size(); i++) {
            String name = labels.name(i);
            if (name.isEmpty() || labels.value(i).isEmpty()) return false;
            if (i > 0 && labels.name(i - 1).compareTo(name) >= 0) return false;
            if (name.equals(Labels.METRIC_NAME)) hasName = true;
        }
        return hasName;
    }

    private static int timeSeriesSize(SeriesSamples s) {
        int size = 0;
        Labels labels = s.labels();
        for (int i = 0; i < labels.size(); i++) {
            size += lengthDelimitedSize(TIMESERIES_LABELS, labelSize(labels.name(i), labels.value(i)));
        }
        for (int i = 0; i < s.size(); i++) {
            size += lengthDelimitedSize(TIMESERIES_SAMPLES, sampleSize(s.value(i), s.timestampMs(i)));
        }
        return size;
    }

    private static int labelSize(String name, String value) {
        return CodedOutputStream.computeStringSize(LABEL_NAME, name) + CodedOutputStream.computeStringSize(LABEL_VALUE, value);
    }

    private static int sampleSize(double value, long timestampMs) {
        return (isDefault(value) ? 0 : CodedOutputStream.computeDoubleSize(SAMPLE_VALUE, value))
                + (timestampMs == 0 ? 0 : CodedOutputStream.computeInt64Size(SAMPLE_TIMESTAMP, timestampMs));
    }

    private static boolean isDefault(double value) {
        return Double.doubleToRawLongBits(value) == 0L;
    }

    private static int lengthDelimitedSize(int field, int contentSize) {
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(contentSize) + contentSize;
    }

    private static void writeTimeSeries(CodedOutputStream out, SeriesSamples s) throws IOException {
        Labels labels = s.labels();
        for (int i = 0; i < labels.size(); i++) {
            out.writeTag(TIMESERIES_LABELS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(labelSize(labels.name(i), labels.value(i)));
            out.writeString(LABEL_NAME, labels.name(i));
            out.writeString(LABEL_VALUE, labels.value(i));
        }
        for (int i = 0; i < s.size(); i++) {
            double value = s.value(i);
            long timestampMs = s.timestampMs(i);
            out.writeTag(TIMESERIES_SAMPLES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(sampleSize(value, timestampMs));
            if (!isDefault(value)) out.writeDouble(SAMPLE_VALUE, value);
            if (timestampMs != 0) out.writeInt64(SAMPLE_TIMESTAMP, timestampMs);
        }
    }

    /**
     * Parses an uncompressed {@code WriteRequest}; unknown fields (metadata, exemplars, histograms) are skipped.
     * Labels arriving unsorted are sorted; a repeated label name keeps its last value.
     */
    public static List<SeriesSamples> decode(byte[] protobuf) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(protobuf);
        List<SeriesSamples> result = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == tag(WRITE_REQUEST_TIMESERIES, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int limit = in.pushLimit(in.readRawVarint32());
                result.add(readTimeSeries(in));
                in.popLimit(limit);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        return result;
    }

    private static SeriesSamples readTimeSeries(CodedInputStream in) throws IOException {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        LongList timestamps = new LongList();
        DoubleList sampleValues = new DoubleList();
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == TIMESERIES_LABELS && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int limit = in.pushLimit(in.readRawVarint32());
                readLabel(in, names, values);
                in.popLimit(limit);
            } else if (field == TIMESERIES_SAMPLES && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int limit = in.pushLimit(in.readRawVarint32());
                readSample(in, timestamps, sampleValues);
                in.popLimit(limit);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        return new SeriesSamples(toLabels(names, values), timestamps.toArray(), sampleValues.toArray());
    }

    private static void readLabel(CodedInputStream in, List<String> names, List<String> values) throws IOException {
        String name = "";
        String value = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == tag(LABEL_NAME, WireFormat.WIRETYPE_LENGTH_DELIMITED)) name = in.readStringRequireUtf8();
            else if (tag == tag(LABEL_VALUE, WireFormat.WIRETYPE_LENGTH_DELIMITED)) value = in.readStringRequireUtf8();
            else if (!in.skipField(tag)) break;
        }
        names.add(name);
        values.add(value);
    }

    private static void readSample(CodedInputStream in, LongList timestamps, DoubleList values) throws IOException {
        double value = 0;
        long timestampMs = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == tag(SAMPLE_VALUE, WireFormat.WIRETYPE_FIXED64)) value = Double.longBitsToDouble(in.readRawLittleEndian64());
            else if (tag == tag(SAMPLE_TIMESTAMP, WireFormat.WIRETYPE_VARINT)) timestampMs = in.readInt64();
            else if (!in.skipField(tag)) break;
        }
        timestamps.add(timestampMs);
        values.add(value);
    }

    private static Labels toLabels(List<String> names, List<String> values) {
        boolean sortedAndUnique = true;
        for (int i = 1; i < names.size() && sortedAndUnique; i++) {
            sortedAndUnique = names.get(i - 1).compareTo(names.get(i)) < 0;
        }
        if (sortedAndUnique && !values.contains("")) {
            return Labels.ofSorted(names.toArray(new String[0]), values.toArray(new String[0]));
        }
        TreeMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) map.put(names.get(i), values.get(i));
        return Labels.fromMap(map);
    }

    /** Snappy block format (not the framed/stream format), as remote write requires. */
    public static byte[] compress(byte[] raw) {
        try {
            return Snappy.compress(raw);
        } catch (IOException e) {
            throw new UncheckedIOException("snappy compression failed", e);
        }
    }

    public static byte[] decompress(byte[] compressed) throws IOException {
        if (!Snappy.isValidCompressedBuffer(compressed)) throw new IOException("body is not snappy block-compressed");
        return Snappy.uncompress(compressed);
    }

    private static final class LongList {
        private long[] items = new long[4];
        private int size;

        void add(long v) {
            if (size == items.length) items = java.util.Arrays.copyOf(items, size * 2);
            items[size++] = v;
        }

        long[] toArray() { return java.util.Arrays.copyOf(items, size); }
    }

    private static final class DoubleList {
        private double[] items = new double[4];
        private int size;

        void add(double v) {
            if (size == items.length) items = java.util.Arrays.copyOf(items, size * 2);
            items[size++] = v;
        }

        double[] toArray() { return java.util.Arrays.copyOf(items, size); }
    }
}
