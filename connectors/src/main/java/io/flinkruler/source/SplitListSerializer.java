package io.flinkruler.source;

import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Serializes a list of splits (an enumerator's unassigned splits) with the splits' own serializer. */
public final class SplitListSerializer<S extends SourceSplit> implements SimpleVersionedSerializer<List<S>> {
    private final SimpleVersionedSerializer<S> splitSerializer;

    public SplitListSerializer(SimpleVersionedSerializer<S> splitSerializer) {
        this.splitSerializer = splitSerializer;
    }

    @Override
    public int getVersion() { return 1; }

    @Override
    public byte[] serialize(List<S> splits) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(splitSerializer.getVersion());
        out.writeInt(splits.size());
        for (S split : splits) {
            byte[] bytes = splitSerializer.serialize(split);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public List<S> deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) throw new IOException("unknown split list version " + version);
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int splitVersion = in.readInt();
        int n = in.readInt();
        List<S> splits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            splits.add(splitSerializer.deserialize(splitVersion, bytes));
        }
        return splits;
    }
}
