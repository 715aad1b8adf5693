package io.flinkruler.job.records;

import io.flinkruler.flink.RecordSerializer;
import io.flinkruler.flink.RecordTypeInfo;
import io.flinkruler.rules.RuleGroup;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.InstantiationUtil;

/** Rule groups in broadcast state: rare and small, so Java serialization of the immutable model is enough. */
public final class RuleGroupSerializer extends RecordSerializer<RuleGroup> {
    private static final long serialVersionUID = 1L;
    public static final RuleGroupSerializer INSTANCE = new RuleGroupSerializer();

    public static TypeInformation<RuleGroup> typeInfo() { return new RecordTypeInfo<>(RuleGroup.class, INSTANCE); }

    @Override
    protected void write(RuleGroup group, DataOutputView out) throws IOException {
        byte[] bytes = InstantiationUtil.serializeObject(group);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    @Override
    protected RuleGroup read(DataInputView in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        try {
            // the user-code class loader: on a cluster the job's classes are not on the system class path
            return InstantiationUtil.deserializeObject(b, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IOException(e);
        }
    }

    @Override
    public TypeSerializerSnapshot<RuleGroup> snapshotConfiguration() { return new Snapshot(); }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RuleGroup> {
        public Snapshot() { super(() -> INSTANCE); }
    }
}
