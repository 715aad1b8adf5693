package io.flinkruler.remotewrite;

import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import io.flinkruler.remotewrite.internal.WriteBatchSerializer;
import io.flinkruler.remotewrite.internal.WriteBatchTypeInfo;
import io.flinkruler.rules.RemoteWriteConfig;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteBatchSerializerTest {
    static WriteBatch sampleBatch() {
        RemoteWriteConfig secured = new RemoteWriteConfig("http://user:s3cret@127.0.0.1:9/api/v1/write", "mimir",
                Map.of("X-Scope-OrgID", "team-a"), null, null, Duration.ofSeconds(7));
        Labels a = Labels.of("__name__", "job:up", "job", "a");
        Labels b = Labels.of("__name__", "job:up", "job", "b");
        return new WriteBatch("team-a", List.of(secured, RemoteWriteConfig.ofUrl("http://127.0.0.1:10/push")),
                new Labels[] {a, b, a, b},
                new long[] {1000, 1000, 2000, -3},
                new double[] {Double.NaN, StaleMarker.VALUE, Double.NEGATIVE_INFINITY, -0.0});
    }

    @Test
    void typeInformationComesFromTheFactoryNotKryo() {
        TypeInformation<WriteBatch> info = TypeInformation.of(WriteBatch.class);
        assertInstanceOf(WriteBatchTypeInfo.class, info);
        assertSame(WriteBatchSerializer.INSTANCE, info.createSerializer(new SerializerConfigImpl()));
    }

    @Test
    void roundTripIsExactIncludingCredentialsAndValueBits() throws IOException {
        WriteBatch batch = sampleBatch();
        WriteBatch copy = roundTrip(WriteBatchSerializer.INSTANCE, batch);

        assertEquals(batch, copy);
        assertEquals(StaleMarker.BITS, Double.doubleToRawLongBits(copy.value(1)));
        assertTrue(Double.isNaN(copy.value(0)) && !StaleMarker.is(copy.value(0)));
        assertEquals(0x8000000000000000L, Double.doubleToRawLongBits(copy.value(3)));
        RemoteWriteConfig target = copy.targets().get(0);
        assertEquals("http://127.0.0.1:9/api/v1/write", target.url());
        assertEquals("user", target.basicAuthUsername());
        assertEquals("s3cret", target.basicAuthPassword());
        assertEquals(Map.of("X-Scope-OrgID", "team-a"), target.headers());
        assertEquals(Duration.ofSeconds(7), target.remoteTimeout());
    }

    @Test
    void binaryCopyAndSnapshotRestore() throws IOException {
        WriteBatch batch = sampleBatch();
        DataOutputSerializer first = new DataOutputSerializer(256);
        WriteBatchSerializer.INSTANCE.serialize(batch, first);
        DataOutputSerializer copied = new DataOutputSerializer(256);
        WriteBatchSerializer.INSTANCE.copy(new DataInputDeserializer(first.getCopyOfBuffer()), copied);
        assertEquals(batch, WriteBatchSerializer.INSTANCE.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer())));

        TypeSerializerSnapshot<WriteBatch> snapshot = WriteBatchSerializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer snapshotBytes = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(snapshotBytes, snapshot);
        TypeSerializerSnapshot<WriteBatch> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapshotBytes.getCopyOfBuffer()), getClass().getClassLoader());
        assertSame(WriteBatchSerializer.INSTANCE, restored.restoreSerializer());
        assertTrue(restored.resolveSchemaCompatibility(snapshot).isCompatibleAsIs());
    }

    @Test
    void parallelArraysMustHaveEqualLength() {
        assertThrows(IllegalArgumentException.class, () -> new WriteBatch("t", List.of(),
                new Labels[] {Labels.of("__name__", "x")}, new long[] {1, 2}, new double[] {1}));
    }

    static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
