package io.flinkruler.remotewrite;

import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.RemoteWriteConfig.ProtobufMessage;
import io.flinkruler.rules.RemoteWriteConfigCodec;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Checkpoint form of {@link RemoteWriteCommittable}. Version 2 adds the body's format, its sample time range
 * and when it was prepared, and writes the endpoint in {@link RemoteWriteConfigCodec}'s versioned form.
 * Version 1 (endpoint in the older writeUTF layout, a 1.0 body) is still read; such requests count as
 * prepared when read.
 */
public final class RemoteWriteCommittableSerializer implements SimpleVersionedSerializer<RemoteWriteCommittable> {
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
            out.writeByte(committable.format().ordinal());
            out.writeInt(committable.sampleCount());
            out.writeInt(committable.seriesCount());
            out.writeLong(committable.minTimestampMs());
            out.writeLong(committable.maxTimestampMs());
            out.writeLong(committable.preparedAtMs());
            out.writeInt(committable.snappyPayload().length);
            out.write(committable.snappyPayload());
        }
        return bytes.toByteArray();
    }

    @Override
    public RemoteWriteCommittable deserialize(int version, byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            if (version == 1) return readVersion1(in);
            if (version != VERSION) throw new IOException("unknown RemoteWriteCommittable serializer version " + version);
            RemoteWriteConfig endpoint = RemoteWriteConfigCodec.read(in);
            int subtask = in.readInt();
            long epoch = in.readLong();
            int sequence = in.readInt();
            int format = in.readUnsignedByte();
            if (format >= ProtobufMessage.values().length) throw new IOException("unknown payload format " + format);
            int samples = in.readInt();
            int series = in.readInt();
            long minTimestamp = in.readLong();
            long maxTimestamp = in.readLong();
            long preparedAt = in.readLong();
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            return new RemoteWriteCommittable(endpoint, subtask, epoch, sequence, ProtobufMessage.values()[format], payload,
                    samples, series, minTimestamp, maxTimestamp, preparedAt);
        }
    }

    private static RemoteWriteCommittable readVersion1(DataInputStream in) throws IOException {
        RemoteWriteConfig endpoint = RemoteWriteConfigCodec.readVersion1(in, true);
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
