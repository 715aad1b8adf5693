package io.flinkruler.remotewrite;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteRequestV2CodecTest {
    private static final Labels A = Labels.of("__name__", "job:rate5m", "job", "api", "env", "prod");
    private static final Labels B = Labels.of("__name__", "job:rate5m", "job", "db", "env", "prod");

    @Test
    void roundTripKeepsSpecialValuesBitExact() throws IOException {
        List<SeriesSamples> series = List.of(
                new SeriesSamples(A, new long[] {0, 1_767_225_600_000L, 1_767_225_615_000L}, new double[] {-0.0, StaleMarker.VALUE, Double.NaN}),
                new SeriesSamples(B, new long[] {-5}, new double[] {Double.NEGATIVE_INFINITY}));
        assertEquals(series, WriteRequestV2Codec.decodeCompressed(WriteRequestV2Codec.encodeCompressed(series)));
        assertEquals(List.of(), WriteRequestV2Codec.decode(WriteRequestV2Codec.encode(List.of())));
    }

    @Test
    void everyStringIsWrittenOnceInTheSymbolTableWhichStartsWithTheEmptyString() throws IOException {
        byte[] body = WriteRequestV2Codec.encode(List.of(
                new SeriesSamples(A, new long[] {1}, new double[] {1}), new SeriesSamples(B, new long[] {1}, new double[] {2})));
        CodedInputStream in = CodedInputStream.newInstance(body);
        List<String> symbols = new ArrayList<>();
        List<List<Integer>> refs = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == 4) {
                symbols.add(in.readStringRequireUtf8());
            } else if (field == 5) {
                int limit = in.pushLimit(in.readRawVarint32());
                List<Integer> r = new ArrayList<>();
                while (in.getBytesUntilLimit() > 0) {
                    int t = in.readTag();
                    if (WireFormat.getTagFieldNumber(t) == 1) {
                        assertEquals(WireFormat.WIRETYPE_LENGTH_DELIMITED, WireFormat.getTagWireType(t), "labels_refs are packed");
                        int packed = in.pushLimit(in.readRawVarint32());
                        while (in.getBytesUntilLimit() > 0) r.add(in.readUInt32());
                        in.popLimit(packed);
                    } else {
                        in.skipField(t);
                    }
                }
                in.popLimit(limit);
                refs.add(r);
            } else {
                throw new AssertionError("unexpected field " + field);
            }
        }
        assertEquals(List.of("", "__name__", "job:rate5m", "env", "prod", "job", "api", "db"), symbols);
        assertEquals(List.of(List.of(1, 2, 3, 4, 5, 6), List.of(1, 2, 3, 4, 5, 7)), refs);
    }

    @Test
    void referencesOutsideTheSymbolTableAreAnError() {
        byte[] bad = {0x22, 0x00, 0x2a, 0x04, 0x0a, 0x02, 0x00, 0x05}; // symbols [""], one series with refs 0,5
        assertThrows(IOException.class, () -> WriteRequestV2Codec.decode(bad));
    }

    @Test
    void aVersion2BodyReadAsVersion1HoldsNoSeries() throws IOException {
        byte[] body = WriteRequestV2Codec.encode(List.of(new SeriesSamples(A, new long[] {1}, new double[] {1})));
        assertTrue(WriteRequestCodec.decode(body).isEmpty(), "why a 1.0-only receiver that ignores the content type writes nothing");
    }
}
