package io.flinkruler.source;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/** Version 1: path (UTF), offset, lines read. */
public final class OpenMetricsFileSplitSerializer implements SimpleVersionedSerializer<OpenMetricsFileSplit> {
    public static final OpenMetricsFileSplitSerializer INSTANCE = new OpenMetricsFileSplitSerializer();

    @Override
    public int getVersion() { return 1; }

    @Override
    public byte[] serialize(OpenMetricsFileSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64 + split.path().length());
        out.writeUTF(split.path());
        out.writeLong(split.offset());
        out.writeLong(split.linesRead());
        return out.getCopyOfBuffer();
    }

    @Override
    public OpenMetricsFileSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) throw new IOException("unknown OpenMetricsFileSplit version " + version);
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        return new OpenMetricsFileSplit(in.readUTF(), in.readLong(), in.readLong());
    }
}
