package io.flinkruler.remotewrite;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnknownFieldSet;
import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteRequestCodecTest {
    private static final Labels UP = Labels.of("__name__", "up", "job", "node", "instance", "a:9100");
    private static final Labels RATE = Labels.of("__name__", "job:rate5m", "job", "api");

    @Test
    void roundTripKeepsSpecialValuesBitExact() throws IOException {
        double negativeZero = -0.0;
        double otherNaN = Double.longBitsToDouble(0x7ff8000000000123L);
        SeriesSamples special = new SeriesSamples(UP,
                new long[] {0, 1, 2, 3, 4, 5, 6, 1_767_225_600_000L, -5},
                new double[] {0.0, negativeZero, Double.NaN, otherNaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                        StaleMarker.VALUE, 0.25, Double.MIN_VALUE});
        SeriesSamples plain = new SeriesSamples(RATE, new long[] {1000, 2000}, new double[] {1.5, 1e300});

        List<SeriesSamples> decoded = WriteRequestCodec.decodeCompressed(WriteRequestCodec.encodeCompressed(List.of(special, plain)));

        assertEquals(List.of(special, plain), decoded);
        assertEquals(StaleMarker.BITS, Double.doubleToRawLongBits(decoded.get(0).value(6)));
        assertEquals(0x8000000000000000L, Double.doubleToRawLongBits(decoded.get(0).value(1)));
        assertEquals(0x7ff8000000000123L, Double.doubleToRawLongBits(decoded.get(0).value(3)));
        assertTrue(StaleMarker.is(decoded.get(0).value(6)) && !StaleMarker.is(decoded.get(0).value(2)));
    }

    @Test
    void wireLayoutIsPrometheusWriteRequest() throws IOException {
        byte[] raw = WriteRequestCodec.encode(List.of(new SeriesSamples(RATE, new long[] {1234}, new double[] {0.5})));

        // Parsed with protobuf's schema-less parser: field numbers and wire types must match prometheus.WriteRequest.
        UnknownFieldSet request = UnknownFieldSet.parseFrom(raw);
        assertEquals(1, request.asMap().size());
        List<ByteString> timeseries = request.getField(1).getLengthDelimitedList();
        assertEquals(1, timeseries.size());
        UnknownFieldSet series = UnknownFieldSet.parseFrom(timeseries.get(0));
        List<ByteString> labels = series.getField(1).getLengthDelimitedList();
        assertEquals(List.of("__name__", "job"), labels.stream().map(l -> field1String(l)).toList());
        UnknownFieldSet firstLabel = parse(labels.get(0));
        assertEquals("job:rate5m", firstLabel.getField(2).getLengthDelimitedList().get(0).toString(StandardCharsets.UTF_8));
        UnknownFieldSet sample = parse(series.getField(2).getLengthDelimitedList().get(0));
        assertEquals(List.of(Double.doubleToRawLongBits(0.5)), sample.getField(1).getFixed64List());
        assertEquals(List.of(1234L), sample.getField(2).getVarintList());
    }

    @Test
    void zeroValueAndTimestampAreOmittedLikeProto3ButNegativeZeroIsKept() throws IOException {
        byte[] raw = WriteRequestCodec.encode(List.of(new SeriesSamples(RATE, new long[] {0, 0}, new double[] {0.0, -0.0})));
        UnknownFieldSet series = UnknownFieldSet.parseFrom(UnknownFieldSet.parseFrom(raw).getField(1).getLengthDelimitedList().get(0));
        List<ByteString> samples = series.getField(2).getLengthDelimitedList();
        assertEquals(0, samples.get(0).size());
        UnknownFieldSet negativeZero = parse(samples.get(1));
        assertEquals(List.of(0x8000000000000000L), negativeZero.getField(1).getFixed64List());
        assertTrue(negativeZero.getField(2).getVarintList().isEmpty());
    }

    @Test
    void bodyIsSnappyBlockFormatNotFramed() throws IOException {
        byte[] raw = WriteRequestCodec.encode(List.of(new SeriesSamples(UP, new long[] {1, 2, 3}, new double[] {1, 1, 1})));
        byte[] body = WriteRequestCodec.compress(raw);

        assertArrayEquals(Snappy.compress(raw), body);
        // Block format starts with the uncompressed length as a varint; the framed format would start with 0xff "sNaPpY".
        assertEquals(raw.length, body[0] & 0x7f);
        assertTrue(raw.length < 128);
        assertFalse(new String(body, StandardCharsets.ISO_8859_1).contains("sNaPpY"));
        assertArrayEquals(raw, Snappy.uncompress(body));
        assertThrows(IOException.class, () -> WriteRequestCodec.decompress(new byte[] {(byte) 0xff, 6, 0, 0, 's', 'N', 'a', 'P', 'p', 'Y'}));
    }

    @Test
    void encoderRejectsLabelsThatAreUnsortedDuplicatedOrNameless() {
        Labels unsorted = Labels.ofSorted(new String[] {"job", "__name__"}, new String[] {"a", "up"});
        Labels duplicated = Labels.ofSorted(new String[] {"__name__", "job", "job"}, new String[] {"up", "a", "b"});
        Labels nameless = Labels.of("job", "a");
        for (Labels bad : List.of(unsorted, duplicated, nameless)) {
            assertFalse(WriteRequestCodec.hasValidLabels(bad), bad::toString);
            assertThrows(IllegalArgumentException.class,
                    () -> WriteRequestCodec.encode(List.of(new SeriesSamples(bad, new long[] {1}, new double[] {1}))));
        }
        assertTrue(WriteRequestCodec.hasValidLabels(UP));
    }

    @Test
    void decoderSkipsUnknownFieldsAndSortsLabelsFromOtherClients() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        byte[] label1 = message(o -> { o.writeString(1, "job"); o.writeString(2, "x"); });
        byte[] label2 = message(o -> { o.writeString(1, "__name__"); o.writeString(2, "m"); });
        byte[] sample = message(o -> { o.writeDouble(1, 7.0); o.writeInt64(2, 99); });
        byte[] exemplar = message(o -> o.writeDouble(2, 1.0));
        byte[] series = message(o -> {
            o.writeByteArray(1, label1);
            o.writeByteArray(1, label2);
            o.writeByteArray(3, exemplar);
            o.writeByteArray(2, sample);
        });
        out.writeByteArray(1, series);
        out.writeByteArray(3, message(o -> o.writeString(2, "metadata is ignored")));
        out.flush();

        List<SeriesSamples> decoded = WriteRequestCodec.decode(bytes.toByteArray());

        assertEquals(List.of(new SeriesSamples(Labels.of("__name__", "m", "job", "x"), new long[] {99}, new double[] {7.0})), decoded);
    }

    @Test
    void emptyRequestRoundTrips() throws IOException {
        assertEquals(0, WriteRequestCodec.encode(List.of()).length);
        assertEquals(List.of(), WriteRequestCodec.decodeCompressed(WriteRequestCodec.encodeCompressed(List.of())));
    }

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Writer writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        writer.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static UnknownFieldSet parse(ByteString bytes) {
        try {
            return UnknownFieldSet.parseFrom(bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String field1String(ByteString label) {
        return parse(label).getField(1).getLengthDelimitedList().get(0).toString(StandardCharsets.UTF_8);
    }
}
