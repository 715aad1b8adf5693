package io.flinkruler.job.records;

import io.flinkruler.flink.RecordSerializer;
import io.flinkruler.flink.RecordTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What one shard's per-series step computed for one rule group at one evaluation timestamp: per
 * rule, the serialized leaf values of that shard's series (empty when none matched). Every shard
 * with series of the tenant sends one, so the per-rule step evaluates the group even where no
 * series matched (absent(), staleness markers of vanished outputs).
 * {@code groupVersion} is the content hash of the group version that was evaluated.
 */
@TypeInfo(PartialEvaluation.TypeFactory.class)
public record PartialEvaluation(String groupKey, int groupVersion, long evalTimestampMs, byte[][] leafValuesPerRule) {

    public static final class Serializer extends RecordSerializer<PartialEvaluation> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        protected void write(PartialEvaluation p, DataOutputView out) throws IOException {
            out.writeUTF(p.groupKey);
            out.writeInt(p.groupVersion);
            out.writeLong(p.evalTimestampMs);
            out.writeInt(p.leafValuesPerRule.length);
            for (byte[] b : p.leafValuesPerRule) {
                out.writeInt(b.length);
                out.write(b);
            }
        }

        @Override
        protected PartialEvaluation read(DataInputView in) throws IOException {
            String key = in.readUTF();
            int version = in.readInt();
            long ts = in.readLong();
            byte[][] perRule = new byte[in.readInt()][];
            for (int i = 0; i < perRule.length; i++) {
                perRule[i] = new byte[in.readInt()];
                in.readFully(perRule[i]);
            }
            return new PartialEvaluation(key, version, ts, perRule);
        }

        @Override
        public TypeSerializerSnapshot<PartialEvaluation> snapshotConfiguration() { return new Snapshot(); }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<PartialEvaluation> {
        public Snapshot() { super(() -> Serializer.INSTANCE); }
    }

    public static final class TypeFactory extends TypeInfoFactory<PartialEvaluation> {
        @Override
        public TypeInformation<PartialEvaluation> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return typeInfo();
        }
    }

    public static TypeInformation<PartialEvaluation> typeInfo() {
        return new RecordTypeInfo<>(PartialEvaluation.class, Serializer.INSTANCE);
    }
}
