package io.flinkruler.remotewrite;

import io.flinkruler.rules.RemoteWriteConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RemoteWriteCommittableSerializerTest {
    @Test
    void roundTripKeepsEndpointSequenceAndPayload() throws IOException {
        RemoteWriteConfig endpoint = new RemoteWriteConfig("https://mimir.example/api/v1/push", "", Map.of("X-Scope-OrgID", "t1"),
                "u", "p@ss", Duration.ofSeconds(3));
        byte[] payload = {1, 2, 3, (byte) 0xff, 0};
        RemoteWriteCommittable committable = new RemoteWriteCommittable(endpoint, 3, 42L, 7, payload, 2000, 17);
        RemoteWriteCommittableSerializer serializer = new RemoteWriteCommittableSerializer();

        RemoteWriteCommittable copy = serializer.deserialize(serializer.getVersion(), serializer.serialize(committable));

        assertEquals(committable, copy);
        assertEquals(endpoint, copy.endpoint());
        assertEquals("p@ss", copy.endpoint().basicAuthPassword());
        assertEquals(3, copy.writerSubtask());
        assertEquals(42L, copy.epoch());
        assertEquals(7, copy.sequence());
        assertEquals(2000, copy.sampleCount());
        assertEquals(17, copy.seriesCount());
        assertArrayEquals(payload, copy.snappyPayload());
        assertFalse(copy.toString().contains("p@ss"));
        assertThrows(IOException.class, () -> serializer.deserialize(99, serializer.serialize(committable)));
    }

    @Test
    void version2KeepsFormatTimeRangeAndPreparationTime() throws IOException {
        RemoteWriteConfig endpoint = RemoteWriteConfig.builder("https://mimir.example/api/v1/push")
                .protobufMessage(RemoteWriteConfig.ProtobufMessage.V2).bearerToken("tok").build();
        RemoteWriteCommittable committable = new RemoteWriteCommittable(endpoint, 1, 5L, 2, RemoteWriteConfig.ProtobufMessage.V2,
                new byte[] {9, 8}, 10, 2, 1000L, 2000L, 1_767_225_600_000L);
        RemoteWriteCommittableSerializer serializer = new RemoteWriteCommittableSerializer();
        RemoteWriteCommittable copy = serializer.deserialize(2, serializer.serialize(committable));
        assertEquals(committable, copy);
        assertEquals(RemoteWriteConfig.ProtobufMessage.V2, copy.format());
        assertEquals(1000L, copy.minTimestampMs());
        assertEquals(2000L, copy.maxTimestampMs());
        assertEquals(1_767_225_600_000L, copy.preparedAtMs());
    }

    @Test
    void version1CheckpointsOfEarlierReleasesAreStillRead() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeUTF("http://rw/push");
            out.writeUTF("");
            out.writeInt(0);
            out.writeBoolean(false);
            out.writeBoolean(false);
            out.writeLong(30_000);
            out.writeInt(0); // subtask
            out.writeLong(3); // epoch
            out.writeInt(1); // sequence
            out.writeInt(4); // samples
            out.writeInt(2); // series
            out.writeInt(2);
            out.write(new byte[] {7, 7});
        }
        RemoteWriteCommittable read = new RemoteWriteCommittableSerializer().deserialize(1, bytes.toByteArray());
        assertEquals(RemoteWriteConfig.ofUrl("http://rw/push"), read.endpoint());
        assertEquals(3, read.epoch());
        assertEquals(1, read.sequence());
        assertEquals(4, read.sampleCount());
        assertEquals(RemoteWriteConfig.ProtobufMessage.V1, read.format());
        assertArrayEquals(new byte[] {7, 7}, read.snappyPayload());
    }
}
