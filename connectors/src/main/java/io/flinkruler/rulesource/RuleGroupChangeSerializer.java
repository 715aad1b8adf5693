package io.flinkruler.rulesource;

import io.flinkruler.rules.RuleGroup;
import io.flinkruler.source.typeinfo.ImmutableValueSerializer;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.InstantiationUtil;

import java.io.IOException;

/**
 * Wire form of {@link RuleGroupChange}: kind, key, time, then the group in Java serialization
 * (length-prefixed, -1 for none). Rule changes are rare, so the compact form is not worth its code.
 */
public final class RuleGroupChangeSerializer extends ImmutableValueSerializer<RuleGroupChange> {
    private static final long serialVersionUID = 1L;
    public static final RuleGroupChangeSerializer INSTANCE = new RuleGroupChangeSerializer();
    private static final RuleGroupChange.Kind[] KINDS = RuleGroupChange.Kind.values();

    @Override
    public RuleGroupChange createInstance() {
        return RuleGroupChange.deleted("", 0L);
    }

    @Override
    public void serialize(RuleGroupChange change, DataOutputView out) throws IOException {
        out.writeByte(change.kind().ordinal());
        out.writeUTF(change.groupKey());
        out.writeLong(change.seenAtMs());
        if (change.group() == null) {
            out.writeInt(-1);
        } else {
            byte[] bytes = InstantiationUtil.serializeObject(change.group());
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    @Override
    public RuleGroupChange deserialize(DataInputView in) throws IOException {
        RuleGroupChange.Kind kind = KINDS[in.readByte()];
        String key = in.readUTF();
        long seenAtMs = in.readLong();
        int length = in.readInt();
        RuleGroup group = null;
        if (length >= 0) {
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            try {
                group = InstantiationUtil.deserializeObject(bytes, Thread.currentThread().getContextClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IOException("cannot deserialize rule group " + key, e);
            }
        }
        return new RuleGroupChange(kind, key, group, seenAtMs);
    }

    @Override
    public TypeSerializerSnapshot<RuleGroupChange> snapshotConfiguration() { return new Snapshot(); }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RuleGroupChange> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
