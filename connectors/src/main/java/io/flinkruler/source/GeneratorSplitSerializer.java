package io.flinkruler.source;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/** Version 1: first target, end target, start time, next round. */
public final class GeneratorSplitSerializer implements SimpleVersionedSerializer<GeneratorSplit> {
    public static final GeneratorSplitSerializer INSTANCE = new GeneratorSplitSerializer();

    @Override
    public int getVersion() { return 1; }

    @Override
    public byte[] serialize(GeneratorSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(24);
        out.writeInt(split.firstTarget());
        out.writeInt(split.endTarget());
        out.writeLong(split.startTimeMs());
        out.writeLong(split.nextRound());
        return out.getCopyOfBuffer();
    }

    @Override
    public GeneratorSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) throw new IOException("unknown GeneratorSplit version " + version);
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        return new GeneratorSplit(in.readInt(), in.readInt(), in.readLong(), in.readLong());
    }
}
