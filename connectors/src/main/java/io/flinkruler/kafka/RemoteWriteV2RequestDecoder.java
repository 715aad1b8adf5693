package io.flinkruler.kafka;

import static io.flinkruler.remotewrite.WriteRequestV2Fields.REQUEST_SYMBOLS;
import static io.flinkruler.remotewrite.WriteRequestV2Fields.REQUEST_TIMESERIES;
import static io.flinkruler.remotewrite.WriteRequestV2Fields.SAMPLE_TIMESTAMP;
import static io.flinkruler.remotewrite.WriteRequestV2Fields.SAMPLE_VALUE;
import static io.flinkruler.remotewrite.WriteRequestV2Fields.TIMESERIES_LABELS_REFS;
import static io.flinkruler.remotewrite.WriteRequestV2Fields.TIMESERIES_SAMPLES;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.flinkruler.model.Labels;
import io.flinkruler.remotewrite.SeriesSamples;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads an uncompressed remote-write 2.0 {@code io.prometheus.write.v2.Request} into series, telling a broken
 * protobuf ({@link UndecodableReason#NOT_PROTOBUF}) from broken label references
 * ({@link UndecodableReason#INVALID_SYMBOL_REF}).
 *
 * <pre>
 * Request    { repeated string symbols = 4; repeated TimeSeries timeseries = 5; }
 * TimeSeries { repeated uint32 labels_refs = 1; repeated Sample samples = 2; histograms = 3; exemplars = 4;
 *              metadata = 5; created_timestamp = 6; }
 * Sample     { double value = 1; int64 timestamp = 2; }
 * </pre>
 *
 * Native histograms, exemplars, metadata and created timestamps are skipped, as the 1.0 decoder skips 1.0's
 * histograms: the engine evaluates float samples only. The symbol table may come after the series that refer to
 * it, so the request is read twice: once for the symbols and where each series lies, then series by series.
 */
final class RemoteWriteV2RequestDecoder {
    private RemoteWriteV2RequestDecoder() {}

    private static int tag(int field, int wireType) { return field << 3 | wireType; }

    static List<SeriesSamples> decode(byte[] protobuf) throws UndecodableRecordException {
        try {
            List<String> symbols = new ArrayList<>();
            GrowableLongs seriesSlices = new GrowableLongs();   // offset << 32 | length of each TimeSeries
            CodedInputStream in = CodedInputStream.newInstance(protobuf);
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (tag == tag(REQUEST_SYMBOLS, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                    symbols.add(in.readStringRequireUtf8());
                } else if (tag == tag(REQUEST_TIMESERIES, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                    int length = in.readRawVarint32();
                    int offset = in.getTotalBytesRead();
                    in.skipRawBytes(length);
                    seriesSlices.add((long) offset << 32 | length);
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
            List<SeriesSamples> series = new ArrayList<>(seriesSlices.size());
            for (int i = 0; i < seriesSlices.size(); i++) {
                long slice = seriesSlices.get(i);
                series.add(readTimeSeries(CodedInputStream.newInstance(protobuf, (int) (slice >>> 32), (int) slice), symbols));
            }
            return series;
        } catch (IOException e) {
            throw new UndecodableRecordException(UndecodableReason.NOT_PROTOBUF, "not a remote-write 2.0 protobuf Request: " + e.getMessage(), e);
        }
    }

    private static SeriesSamples readTimeSeries(CodedInputStream in, List<String> symbols) throws IOException, UndecodableRecordException {
        GrowableLongs refs = new GrowableLongs();
        GrowableLongs timestamps = new GrowableLongs();
        GrowableLongs valueBits = new GrowableLongs();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == tag(TIMESERIES_LABELS_REFS, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int limit = in.pushLimit(in.readRawVarint32());
                while (in.getBytesUntilLimit() > 0) refs.add(Integer.toUnsignedLong(in.readUInt32()));
                in.popLimit(limit);
            } else if (tag == tag(TIMESERIES_LABELS_REFS, WireFormat.WIRETYPE_VARINT)) {
                refs.add(Integer.toUnsignedLong(in.readUInt32()));   // the unpacked form, which parsers must accept too
            } else if (tag == tag(TIMESERIES_SAMPLES, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int limit = in.pushLimit(in.readRawVarint32());
                readSample(in, timestamps, valueBits);
                in.popLimit(limit);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        double[] values = new double[valueBits.size()];
        for (int i = 0; i < values.length; i++) values[i] = Double.longBitsToDouble(valueBits.get(i));
        return new SeriesSamples(labels(refs, symbols), timestamps.toArray(), values);
    }

    private static void readSample(CodedInputStream in, GrowableLongs timestamps, GrowableLongs valueBits) throws IOException {
        long bits = 0;
        long timestampMs = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == tag(SAMPLE_VALUE, WireFormat.WIRETYPE_FIXED64)) bits = in.readRawLittleEndian64();
            else if (tag == tag(SAMPLE_TIMESTAMP, WireFormat.WIRETYPE_VARINT)) timestampMs = in.readInt64();
            else if (!in.skipField(tag)) break;
        }
        timestamps.add(timestampMs);
        valueBits.add(bits);
    }

    /** Sorted as 1.0's labels are: a repeated name keeps its last value, an empty value means no label. */
    private static Labels labels(GrowableLongs refs, List<String> symbols) throws UndecodableRecordException {
        if (refs.size() % 2 != 0) {
            throw new UndecodableRecordException(UndecodableReason.INVALID_SYMBOL_REF, "a series with an odd number (" + refs.size() + ") of label references");
        }
        TreeMap<String, String> labels = new TreeMap<>();
        for (int i = 0; i < refs.size(); i += 2) labels.put(symbol(refs.get(i), symbols), symbol(refs.get(i + 1), symbols));
        return Labels.fromMap(labels);
    }

    private static String symbol(long ref, List<String> symbols) throws UndecodableRecordException {
        if (ref >= symbols.size()) {
            throw new UndecodableRecordException(UndecodableReason.INVALID_SYMBOL_REF,
                    "label reference " + ref + " outside the symbol table of " + symbols.size() + " symbols");
        }
        return symbols.get((int) ref);
    }

    private static final class GrowableLongs {
        private long[] items = new long[4];
        private int size;

        void add(long v) {
            if (size == items.length) items = Arrays.copyOf(items, size * 2);
            items[size++] = v;
        }

        long get(int i) { return items[i]; }
        int size() { return size; }
        long[] toArray() { return Arrays.copyOf(items, size); }
    }
}
