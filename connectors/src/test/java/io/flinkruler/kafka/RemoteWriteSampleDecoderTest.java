package io.flinkruler.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import io.flinkruler.remotewrite.SeriesSamples;
import io.flinkruler.remotewrite.WriteRequestCodec;
import io.flinkruler.remotewrite.WriteRequestV2Codec;
import io.flinkruler.source.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RemoteWriteSampleDecoderTest {
    private static final String V2_CONTENT_TYPE = "application/x-protobuf;proto=io.prometheus.write.v2.Request";
    private static final String V1_CONTENT_TYPE = "application/x-protobuf;proto=prometheus.WriteRequest";
    private static final Labels UP_A = Labels.of("__name__", "up", "instance", "a");
    private static final Labels UP_B = Labels.of("__name__", "up", "instance", "b");
    private static final List<SeriesSamples> SERIES = List.of(
            new SeriesSamples(UP_A, new long[] {1000, 2000}, new double[] {1, -0.0}),
            new SeriesSamples(UP_B, new long[] {1000, 2000}, new double[] {Double.NaN, StaleMarker.VALUE}));

    // io.prometheus.write.v2 field numbers, for requests written by hand
    private static final int SYMBOLS = 4;
    private static final int TIMESERIES = 5;
    private static final int LABELS_REFS = 1;
    private static final int SAMPLES = 2;
    private static final int HISTOGRAMS = 3;
    private static final int EXEMPLARS = 4;
    private static final int METADATA = 5;
    private static final int CREATED_TIMESTAMP = 6;
    private static final int VALUE = 1;
    private static final int TIMESTAMP = 2;

    private final List<Sample> out = new ArrayList<>();

    private List<Sample> decode(byte[] compressed, String contentType) throws UndecodableRecordException {
        out.clear();
        new RemoteWriteSampleDecoder().decode(compressed, contentType, "team-a", out);
        return out;
    }

    private UndecodableReason reasonOf(byte[] compressed, String contentType) {
        out.clear();
        UndecodableReason reason = assertThrows(UndecodableRecordException.class,
                () -> new RemoteWriteSampleDecoder().decode(compressed, contentType, "team-a", out)).reason();
        assertEquals(List.of(), out, "nothing of an undecodable record");
        return reason;
    }

    private static List<Sample> expected() {
        List<Sample> samples = new ArrayList<>();
        for (SeriesSamples s : SERIES) for (int i = 0; i < s.size(); i++) samples.add(new Sample("team-a", s.labels(), s.timestampMs(i), s.value(i)));
        return samples;
    }

    private static ProtobufWriter sample(long valueBits, long timestampMs) {
        return new ProtobufWriter().fixed64(VALUE, valueBits).int64(TIMESTAMP, timestampMs);
    }

    private static byte[] compress(ProtobufWriter request) { return WriteRequestCodec.compress(request.bytes()); }

    /** symbols "", "__name__", "up", "instance", "a" and one series up{instance="a"} with one sample. */
    private static ProtobufWriter upA(ProtobufWriter series) {
        return new ProtobufWriter().string(SYMBOLS, "").string(SYMBOLS, "__name__").string(SYMBOLS, "up").string(SYMBOLS, "instance")
                .string(SYMBOLS, "a").message(TIMESERIES, series);
    }

    @Test
    void bothVersionsOfTheSinksEncodersGiveTheSameSamplesWithoutAHeader() throws Exception {
        List<Sample> fromV1 = List.copyOf(decode(WriteRequestCodec.encodeCompressed(SERIES), null));
        List<Sample> fromV2 = List.copyOf(decode(WriteRequestV2Codec.encodeCompressed(SERIES), null));

        assertEquals(expected(), fromV1);
        assertEquals(expected(), fromV2);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(fromV2.get(1).value()), "-0.0 keeps its sign");
        assertTrue(StaleMarker.is(fromV2.get(3).value()), "the staleness marker keeps its NaN bits");
        assertTrue(!StaleMarker.is(fromV2.get(2).value()) && Double.isNaN(fromV2.get(2).value()), "a plain NaN is no staleness marker");
    }

    @Test
    void nanPayloadsOfAHandWrittenRequestArePreservedBitForBit() throws Exception {
        long otherNan = 0x7ff8000000000001L;
        byte[] request = compress(upA(new ProtobufWriter().packedUInt32(LABELS_REFS, 1, 2, 3, 4)
                .message(SAMPLES, sample(StaleMarker.BITS, 1000)).message(SAMPLES, sample(otherNan, 2000))));

        List<Sample> samples = decode(request, V2_CONTENT_TYPE);

        assertEquals(2, samples.size());
        assertEquals(StaleMarker.BITS, Double.doubleToRawLongBits(samples.get(0).value()));
        assertEquals(otherNan, Double.doubleToRawLongBits(samples.get(1).value()));
        assertEquals(UP_A, samples.get(0).labels());
    }

    @Test
    void symbolsMayFollowTheSeriesAndReferencesMayBeUnpackedOrUnsorted() throws Exception {
        ProtobufWriter series = new ProtobufWriter().uint32(LABELS_REFS, 3).uint32(LABELS_REFS, 4).uint32(LABELS_REFS, 1).uint32(LABELS_REFS, 2)
                .message(SAMPLES, sample(Double.doubleToRawLongBits(7), 5000));
        byte[] request = compress(new ProtobufWriter().message(TIMESERIES, series)
                .string(SYMBOLS, "").string(SYMBOLS, "__name__").string(SYMBOLS, "up").string(SYMBOLS, "instance").string(SYMBOLS, "a"));

        assertEquals(List.of(new Sample("team-a", UP_A, 5000, 7)), decode(request, null));
    }

    @Test
    void histogramsExemplarsMetadataAndCreatedTimestampsAreSkipped() throws Exception {
        ProtobufWriter histogram = new ProtobufWriter().uint32(1, 3).fixed64(3, Double.doubleToRawLongBits(1.5)).int64(15, 1000);
        ProtobufWriter histogramOnly = new ProtobufWriter().packedUInt32(LABELS_REFS, 1, 2, 3, 4).message(HISTOGRAMS, histogram);
        ProtobufWriter withExtras = new ProtobufWriter().packedUInt32(LABELS_REFS, 1, 2, 3, 4)
                .message(EXEMPLARS, new ProtobufWriter().fixed64(2, Double.doubleToRawLongBits(3)).int64(3, 2000))
                .message(METADATA, new ProtobufWriter().uint32(1, 1).uint32(3, 0))
                .int64(CREATED_TIMESTAMP, 500)
                .message(SAMPLES, sample(Double.doubleToRawLongBits(2), 2000));
        byte[] request = compress(upA(histogramOnly).message(TIMESERIES, withExtras));

        assertEquals(List.of(new Sample("team-a", UP_A, 2000, 2)), decode(request, null), "only the float sample");
    }

    @Test
    void aLabelReferenceOutsideTheSymbolTableMakesTheWholeRecordUndecodable() {
        ProtobufWriter good = new ProtobufWriter().packedUInt32(LABELS_REFS, 1, 2, 3, 4).message(SAMPLES, sample(0, 1000));
        ProtobufWriter pastTheEnd = new ProtobufWriter().packedUInt32(LABELS_REFS, 1, 2, 3, 5).message(SAMPLES, sample(0, 1000));
        ProtobufWriter beyondIntRange = new ProtobufWriter().packedUInt32(LABELS_REFS, 1, 2, 3, -1).message(SAMPLES, sample(0, 1000));

        assertEquals(UndecodableReason.INVALID_SYMBOL_REF, reasonOf(compress(upA(good).message(TIMESERIES, pastTheEnd)), null));
        assertEquals(UndecodableReason.INVALID_SYMBOL_REF, reasonOf(compress(upA(beyondIntRange)), null));
    }

    @Test
    void anOddNumberOfLabelReferencesIsInvalid() {
        ProtobufWriter odd = new ProtobufWriter().packedUInt32(LABELS_REFS, 1, 2, 3).message(SAMPLES, sample(0, 1000));
        assertEquals(UndecodableReason.INVALID_SYMBOL_REF, reasonOf(compress(upA(odd)), null));
    }

    @Test
    void withoutSymbolsNoReferenceResolvesAndASeriesWithoutReferencesHasNoLabels() throws Exception {
        ProtobufWriter referencing = new ProtobufWriter().packedUInt32(LABELS_REFS, 0, 0).message(SAMPLES, sample(0, 1000));
        ProtobufWriter unlabelled = new ProtobufWriter().message(SAMPLES, sample(0, 1000));

        assertEquals(UndecodableReason.INVALID_SYMBOL_REF, reasonOf(compress(new ProtobufWriter().message(TIMESERIES, referencing)), null));
        assertEquals(UndecodableReason.INVALID_SAMPLE, reasonOf(compress(new ProtobufWriter().message(TIMESERIES, unlabelled)), null));
        assertEquals(List.of(), decode(compress(new ProtobufWriter().string(SYMBOLS, "")), null), "a request of symbols only has no samples");
    }

    @Test
    void aLabelWhoseValueIsTheEmptySymbolIsNoLabel() throws Exception {
        ProtobufWriter series = new ProtobufWriter().packedUInt32(LABELS_REFS, 1, 2, 3, 4, 4, 0).message(SAMPLES, sample(0, 1000));
        assertEquals(List.of(new Sample("team-a", UP_A, 1000, 0)), decode(compress(upA(series)), null));
    }

    @Test
    void aBrokenRequestIsNotProtobuf() {
        byte[] whole = WriteRequestV2Codec.encode(SERIES);
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 3);
        byte[] badUtf8Symbol = new ProtobufWriter().raw(new byte[] {(byte) (SYMBOLS << 3 | 2), 2, (byte) 0xc3, 0x28}).bytes();

        assertEquals(UndecodableReason.NOT_PROTOBUF, reasonOf(WriteRequestCodec.compress(truncated), V2_CONTENT_TYPE));
        assertEquals(UndecodableReason.NOT_PROTOBUF, reasonOf(WriteRequestCodec.compress(badUtf8Symbol), null));
    }

    @Test
    void aRequestWithFieldsOfBothVersionsIsAConflict() {
        // protobuf concatenation merges: a 1.0 timeseries field next to 2.0 symbols and timeseries
        byte[] both = new ProtobufWriter().raw(WriteRequestCodec.encode(SERIES)).raw(WriteRequestV2Codec.encode(SERIES)).bytes();
        assertEquals(UndecodableReason.VERSION_CONFLICT, reasonOf(WriteRequestCodec.compress(both), null));
        assertEquals(UndecodableReason.VERSION_CONFLICT, reasonOf(WriteRequestCodec.compress(both), V2_CONTENT_TYPE));
    }

    @Test
    void theContentTypeHeaderNamesTheVersionAndMustMatchTheFields() throws Exception {
        byte[] v1 = WriteRequestCodec.encodeCompressed(SERIES);
        byte[] v2 = WriteRequestV2Codec.encodeCompressed(SERIES);

        assertEquals(expected(), decode(v2, V2_CONTENT_TYPE));
        assertEquals(expected(), decode(v2, " Application/X-Protobuf ; charset=utf-8; PROTO=\"io.prometheus.write.v2.Request\""));
        assertEquals(expected(), decode(v1, V1_CONTENT_TYPE));
        assertEquals(expected(), decode(v1, "application/x-protobuf"), "no proto parameter: 1.0, as the specification says");
        // a header contradicting the fields would decode nothing: the record is skipped and counted instead
        assertEquals(UndecodableReason.VERSION_CONFLICT, reasonOf(v1, V2_CONTENT_TYPE));
        assertEquals(UndecodableReason.VERSION_CONFLICT, reasonOf(v2, V1_CONTENT_TYPE));
        assertEquals(UndecodableReason.VERSION_CONFLICT, reasonOf(v2, "application/x-protobuf"));
        assertEquals(UndecodableReason.UNSUPPORTED_CONTENT_TYPE, reasonOf(v2, "application/json"));
        assertEquals(UndecodableReason.UNSUPPORTED_CONTENT_TYPE, reasonOf(v2, "application/x-protobuf;proto=io.prometheus.write.v3.Request"));
        assertEquals(UndecodableReason.UNSUPPORTED_CONTENT_TYPE, reasonOf(v2, ""));
    }

    @Test
    void theHeaderDecidesWhereTheFieldsDoNot() throws Exception {
        byte[] unknownFieldsOnly = new ProtobufWriter().int64(9, 1).bytes();

        assertEquals(RemoteWriteVersion.V2, RemoteWriteVersion.choose(V2_CONTENT_TYPE, unknownFieldsOnly));
        assertEquals(RemoteWriteVersion.V1, RemoteWriteVersion.choose(null, unknownFieldsOnly));
        assertEquals(RemoteWriteVersion.V1, RemoteWriteVersion.choose(null, new byte[0]));
        assertEquals(RemoteWriteVersion.V2, RemoteWriteVersion.choose(null, WriteRequestV2Codec.encode(SERIES)));
        assertEquals(RemoteWriteVersion.V1, RemoteWriteVersion.choose(null, WriteRequestCodec.encode(SERIES)));
        assertEquals(Set.of(RemoteWriteVersion.V1), RemoteWriteVersion.fieldsIn(new ProtobufWriter().string(3, "metadata").bytes()));
        assertNotEquals(RemoteWriteVersion.V1.contentType(), RemoteWriteVersion.V2.contentType());
        assertEquals(V2_CONTENT_TYPE, RemoteWriteVersion.V2.contentType());
    }
}
