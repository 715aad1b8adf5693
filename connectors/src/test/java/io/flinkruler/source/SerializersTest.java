package io.flinkruler.source;

import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class SerializersTest {
    public static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        T back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        // copy(DataInputView, DataOutputView) must move the same bytes.
        DataOutputSerializer copied = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertEquals(out.length(), copied.length());
        return back;
    }

    /** Writes the serializer's snapshot, reads it back, and checks it restores a compatible serializer. */
    public static <T> void snapshotRestores(TypeSerializer<T> serializer) throws IOException {
        TypeSerializerSnapshot<T> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<T> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), SerializersTest.class.getClassLoader());
        assertEquals(serializer, read.restoreSerializer());
        TypeSerializerSchemaCompatibility<T> compat = serializer.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertTrue(compat.isCompatibleAsIs());
    }

    @Test
    void sampleKeepsEveryValueBitIncludingStaleMarkers() throws IOException {
        TypeInformation<Sample> info = TypeInformation.of(Sample.class);
        assertSame(SampleTypeInfo.INSTANCE, info);
        TypeSerializer<Sample> serializer = info.createSerializer(new SerializerConfigImpl());
        Labels labels = Labels.of("__name__", "m", "zone", "Zürich");
        for (double v : new double[] {1.5, Double.NaN, StaleMarker.VALUE, Double.NEGATIVE_INFINITY, -0.0}) {
            Sample s = new Sample("tenant", labels, 1_700_000_000_123L, v);
            Sample back = roundTrip(serializer, s);
            assertEquals(s, back);
            assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(back.value()));
        }
        assertTrue(StaleMarker.is(roundTrip(serializer, new Sample("t", labels, 0, StaleMarker.VALUE)).value()));
        snapshotRestores(serializer);
    }

    @Test
    void splitSerializers() throws IOException {
        OpenMetricsFileSplit file = new OpenMetricsFileSplit("s3://bucket/dir/a.om", 12345L, 77L);
        assertEquals(file, OpenMetricsFileSplitSerializer.INSTANCE.deserialize(1, OpenMetricsFileSplitSerializer.INSTANCE.serialize(file)));
        GeneratorSplit gen = new GeneratorSplit(3, 9, 1_700_000_000_000L, 42L);
        assertEquals(gen, GeneratorSplitSerializer.INSTANCE.deserialize(1, GeneratorSplitSerializer.INSTANCE.serialize(gen)));
        SplitListSerializer<GeneratorSplit> list = new SplitListSerializer<>(GeneratorSplitSerializer.INSTANCE);
        List<GeneratorSplit> splits = List.of(gen, new GeneratorSplit(0, 3, 5L, 0L));
        assertEquals(splits, list.deserialize(list.getVersion(), list.serialize(splits)));
        assertEquals(List.of(), list.deserialize(list.getVersion(), list.serialize(List.of())));
    }
}
