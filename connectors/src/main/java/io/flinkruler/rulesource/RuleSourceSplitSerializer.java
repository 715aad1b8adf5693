package io.flinkruler.rulesource;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Version 1: count, then per group: key (UTF), content hash, source file (UTF). */
public final class RuleSourceSplitSerializer implements SimpleVersionedSerializer<RuleSourceSplit> {
    public static final RuleSourceSplitSerializer INSTANCE = new RuleSourceSplitSerializer();

    @Override
    public int getVersion() { return 1; }

    @Override
    public byte[] serialize(RuleSourceSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64 + 96 * split.emitted().size());
        out.writeInt(split.emitted().size());
        for (Map.Entry<String, EmittedGroup> e : split.emitted().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue().contentHash());
            out.writeUTF(e.getValue().sourceFile());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public RuleSourceSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) throw new IOException("unknown RuleSourceSplit version " + version);
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int n = in.readInt();
        Map<String, EmittedGroup> emitted = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String key = in.readUTF();
            emitted.put(key, new EmittedGroup(in.readLong(), in.readUTF()));
        }
        return new RuleSourceSplit(emitted);
    }
}
