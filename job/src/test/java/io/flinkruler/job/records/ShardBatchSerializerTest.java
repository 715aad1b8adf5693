package io.flinkruler.job.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ShardBatchSerializerTest {
    private static ShardBatch roundTrip(ShardBatch b) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        ShardBatch.Serializer.INSTANCE.serialize(b, out);
        return ShardBatch.Serializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void roundTripsAndSharesTheStringsOfItsSeries() throws IOException {
        Labels a = Labels.of("__name__", "up", "job", "api", "instance", "a");
        Labels b = Labels.of("__name__", "up", "job", "api", "instance", "b");
        ShardBatch batch = new ShardBatch("team-a#3", "team-a", new Labels[] {a, a, b, a},
                new long[] {1, 2, 3, 4}, new double[] {1.5, StaleMarker.VALUE, Double.NaN, -0.0});
        ShardBatch back = roundTrip(batch);
        assertEquals("team-a#3", back.shardKey());
        assertEquals("team-a", back.tenant());
        assertArrayEquals(batch.series(), back.series());
        assertArrayEquals(batch.timestampsMs(), back.timestampsMs());
        for (int i = 0; i < 4; i++) {
            assertEquals(Double.doubleToRawLongBits(batch.values()[i]), Double.doubleToRawLongBits(back.values()[i]), "value bits of " + i);
        }
        assertSame(back.series()[0], back.series()[1], "consecutive samples of a series share its labels");
        assertSame(back.series()[0].value(2), back.series()[2].value(2), "a label value is read once per batch");
    }

    @Test
    void anEmptyBatchRoundTrips() throws IOException {
        ShardBatch back = roundTrip(new ShardBatch("t#0", "t", new Labels[0], new long[0], new double[0]));
        assertEquals(0, back.size());
    }
}
