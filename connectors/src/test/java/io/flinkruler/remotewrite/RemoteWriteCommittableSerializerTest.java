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
}
