package io.flinkruler.remotewrite;

import io.flinkruler.rules.RemoteWriteConfigCodec;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Checkpoint form of {@link RemoteWriteCommittable}; version 1. */
public final class RemoteWriteCommittableSerializer implements SimpleVersionedSerializer<RemoteWriteCommittable> {
    /** Version 2: the endpoint in RemoteWriteConfigCodec's versioned form (version 1: the older layout in writeUTF). */
    private static final int VERSION = 2;

    @Override
    public int getVersion() { return VERSION; }

    @Override
    public byte[] serialize(RemoteWriteCommittable committable) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(committable.snappyPayload().length + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            RemoteWriteConfigCodec.write(committable.endpoint(), out);
            out.writeInt(committable.writerSubtask());
            out.writeLong(committable.epoch());
            out.writeInt(committable.sequence());
            out.writeInt(committable.sampleCount());
            out.writeInt(committable.seriesCount());
            out.writeInt(committable.snappyPayload().length);
            out.write(committable.snappyPayload());
        }
        return bytes.toByteArray();
    }

    @Override
    public RemoteWriteCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION && version != 1) throw new IOException("unknown RemoteWriteCommittable serializer version " + version);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            var endpoint = version == 1 ? RemoteWriteConfigCodec.readVersion1(in, true) : RemoteWriteConfigCodec.read(in);
            int subtask = in.readInt();
            long epoch = in.readLong();
            int sequence = in.readInt();
            int samples = in.readInt();
            int series = in.readInt();
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            return new RemoteWriteCommittable(endpoint, subtask, epoch, sequence, payload, samples, series);
        }
    }
}
