package io.flinkruler.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flinkruler.model.Labels;
import io.flinkruler.remotewrite.SeriesSamples;
import io.flinkruler.remotewrite.WriteRequestCodec;
import io.flinkruler.remotewrite.WriteRequestV2Codec;
import io.flinkruler.source.Sample;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class SampleRecordDeserializerTest {
    private static final Labels UP_A = Labels.of("__name__", "up", "instance", "a");
    private static final Labels UP_B = Labels.of("__name__", "up", "instance", "b");

    private final CountingMetricGroup metrics = new CountingMetricGroup();
    private final List<Sample> out = new ArrayList<>();
    private final Collector<Sample> collector = new Collector<>() {
        @Override public void collect(Sample s) { out.add(s); }
        @Override public void close() {}
    };
    private long offset;

    private SampleRecordDeserializer deserializer(KafkaRecordFormat format) {
        SampleRecordDeserializer d = new SampleRecordDeserializer(format, "X-Scope-OrgID", "anonymous");
        d.open(metrics);
        return d;
    }

    private ConsumerRecord<byte[], byte[]> record(byte[] value, String... headerPairs) {
        RecordHeaders headers = new RecordHeaders();
        for (int i = 0; i < headerPairs.length; i += 2) headers.add(new RecordHeader(headerPairs[i], headerPairs[i + 1].getBytes(StandardCharsets.UTF_8)));
        return new ConsumerRecord<>("samples", 3, offset++, 0L, TimestampType.CREATE_TIME, 0, value == null ? 0 : value.length,
                null, value, headers, Optional.empty());
    }

    private static byte[] remoteWrite(SeriesSamples... series) { return WriteRequestCodec.encodeCompressed(List.of(series)); }

    @Test
    void aRemoteWriteRecordBecomesAllItsSamplesOfTheHeaderTenant() {
        SampleRecordDeserializer d = deserializer(KafkaRecordFormat.REMOTE_WRITE);
        byte[] value = remoteWrite(new SeriesSamples(UP_A, new long[] {1000, 2000}, new double[] {1, 0}),
                new SeriesSamples(UP_B, new long[] {1000}, new double[] {Double.NaN}));

        d.deserialize(record(value, "x-scope-orgid", "team-a"), collector);
        d.deserialize(record(value), collector);

        assertEquals(List.of(new Sample("team-a", UP_A, 1000, 1), new Sample("team-a", UP_A, 2000, 0), new Sample("team-a", UP_B, 1000, Double.NaN),
                new Sample("anonymous", UP_A, 1000, 1), new Sample("anonymous", UP_A, 2000, 0), new Sample("anonymous", UP_B, 1000, Double.NaN)), out);
        assertEquals(2, metrics.count("kafkaRecordsIn"));
        assertEquals(6, metrics.count("kafkaSamplesDecoded"));
        assertEquals(0, metrics.count("kafkaRecordsUndecodable"));
    }

    @Test
    void undecodableRecordsAreSkippedAndCountedByReason() throws Exception {
        SampleRecordDeserializer d = deserializer(KafkaRecordFormat.REMOTE_WRITE);
        byte[] good = remoteWrite(new SeriesSamples(UP_A, new long[] {1000}, new double[] {1}));

        d.deserialize(record("garbage".getBytes(StandardCharsets.UTF_8)), collector);
        // valid Snappy around a field-1 message whose length runs past the end
        d.deserialize(record(WriteRequestCodec.compress(new byte[] {0x0a, 0x7f, 0x01})), collector);
        d.deserialize(record(null), collector);
        d.deserialize(record(new byte[0]), collector);
        d.deserialize(record(good, "X-Scope-OrgID", "../etc"), collector);
        d.deserialize(record(good, "X-Scope-OrgID", ""), collector);
        d.deserialize(record(WriteRequestCodec.compress(withLabelLessSeries(
                WriteRequestCodec.encode(List.of(new SeriesSamples(UP_A, new long[] {5}, new double[] {5})))))), collector);
        d.deserialize(record(good, "X-Scope-OrgID", "team-b"), collector);

        assertEquals(List.of(new Sample("team-b", UP_A, 1000, 1)), out, "only the good record, and nothing of a half-good one");
        assertEquals(8, metrics.count("kafkaRecordsIn"));
        assertEquals(7, metrics.count("kafkaRecordsUndecodable"));
        assertEquals(1, metrics.count("reason.notSnappy.kafkaRecordsUndecodable"));
        assertEquals(1, metrics.count("reason.notProtobuf.kafkaRecordsUndecodable"));
        assertEquals(2, metrics.count("reason.emptyValue.kafkaRecordsUndecodable"));
        assertEquals(2, metrics.count("reason.invalidTenant.kafkaRecordsUndecodable"));
        assertEquals(1, metrics.count("reason.invalidSample.kafkaRecordsUndecodable"));
        assertEquals(0, metrics.count("reason.invalidJson.kafkaRecordsUndecodable"));
    }

    /** {@code request} plus a TimeSeries that has a sample (value 5 at 5 ms) and no labels. */
    private static byte[] withLabelLessSeries(byte[] request) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(request);
        b.writeBytes(new byte[] {0x0a, 13, 0x12, 11, 0x09});
        b.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(5).array());
        b.writeBytes(new byte[] {0x10, 5});
        return b.toByteArray();
    }

    @Test
    void remoteWrite2RecordsMixWith1AndTheContentTypeHeaderIsMatchedIgnoringCase() {
        SampleRecordDeserializer d = deserializer(KafkaRecordFormat.REMOTE_WRITE);
        List<SeriesSamples> a = List.of(new SeriesSamples(UP_A, new long[] {1000}, new double[] {1}));
        List<SeriesSamples> b = List.of(new SeriesSamples(UP_B, new long[] {2000}, new double[] {2}));
        String v2 = RemoteWriteVersion.V2.contentType();

        d.deserialize(record(WriteRequestV2Codec.encodeCompressed(a)), collector);
        d.deserialize(record(WriteRequestCodec.encodeCompressed(b)), collector);
        d.deserialize(record(WriteRequestV2Codec.encodeCompressed(b), "content-TYPE", v2), collector);
        d.deserialize(record(WriteRequestCodec.encodeCompressed(a), "Content-Type", v2), collector);
        d.deserialize(record(WriteRequestV2Codec.encodeCompressed(a), "Content-Type", "text/plain"), collector);

        assertEquals(List.of(new Sample("anonymous", UP_A, 1000, 1), new Sample("anonymous", UP_B, 2000, 2), new Sample("anonymous", UP_B, 2000, 2)), out);
        assertEquals(3, metrics.count("kafkaSamplesDecoded"));
        assertEquals(1, metrics.count("reason.versionConflict.kafkaRecordsUndecodable"), "a 1.0 body under a 2.0 header");
        assertEquals(1, metrics.count("reason.unsupportedContentType.kafkaRecordsUndecodable"));
        assertEquals(2, metrics.count("kafkaRecordsUndecodable"));
    }

    @Test
    void jsonRecordsIgnoreTheContentTypeHeader() {
        SampleRecordDeserializer d = deserializer(KafkaRecordFormat.JSON);
        d.deserialize(record("{\"timestamp\":1000,\"value\":\"1\",\"labels\":{\"__name__\":\"up\",\"instance\":\"a\"}}"
                .getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json"), collector);
        assertEquals(List.of(new Sample("anonymous", UP_A, 1000, 1)), out);
    }

    @Test
    void jsonRecordsGiveOneSampleEach() {
        SampleRecordDeserializer d = deserializer(KafkaRecordFormat.JSON);
        d.deserialize(record("""
                {"timestamp":"2020-01-01T00:00:00Z","value":"2.5","name":"up","labels":{"__name__":"up","instance":"a"}}"""
                .getBytes(StandardCharsets.UTF_8), "X-Scope-OrgID", "team-a"), collector);
        d.deserialize(record("{\"timestamp\":".getBytes(StandardCharsets.UTF_8)), collector);
        // a remote-write body on a JSON topic is garbage too
        d.deserialize(record(remoteWrite(new SeriesSamples(UP_A, new long[] {1}, new double[] {1}))), collector);

        assertEquals(List.of(new Sample("team-a", UP_A, 1_577_836_800_000L, 2.5)), out);
        assertEquals(2, metrics.count("reason.invalidJson.kafkaRecordsUndecodable"));
    }

    @Test
    void anInvalidDefaultTenantIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class, () -> new SampleRecordDeserializer(KafkaRecordFormat.JSON, "X-Scope-OrgID", "a/b"));
    }
}
