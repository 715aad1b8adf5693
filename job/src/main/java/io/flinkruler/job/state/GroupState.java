package io.flinkruler.job.state;

import io.flinkruler.evaluation.GroupEvaluator;
import io.flinkruler.flink.MutableStateSerializer;
import io.flinkruler.flink.RecordTypeInfo;
import io.flinkruler.model.Labels;
import io.flinkruler.model.LabelsCodec;
import io.flinkruler.promql.eval.LeafValues;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Keyed state of one rule group in the per-rule step: the merged partials of evaluation timestamps
 * whose shards have not all reported yet (the watermark decides), and what each rule produced last.
 */
public final class GroupState {
    /** evaluation timestamp -> merged leaf values per rule (entries null until a shard sends some). */
    public final TreeMap<Long, LeafValues[]> pending = new TreeMap<>();
    public final GroupEvaluator.Memory memory = new GroupEvaluator.Memory();

    public static TypeInformation<GroupState> typeInfo() {
        return new RecordTypeInfo<>(GroupState.class, Serializer.INSTANCE);
    }

    public static final class Serializer extends MutableStateSerializer<GroupState> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        protected void write(GroupState s, DataOutputView out) throws IOException {
            out.writeByte(1);
            out.writeInt(s.pending.size());
            for (Map.Entry<Long, LeafValues[]> e : s.pending.entrySet()) {
                out.writeLong(e.getKey());
                out.writeInt(e.getValue().length);
                for (LeafValues v : e.getValue()) {
                    out.writeBoolean(v != null);
                    if (v != null) v.writeTo(out);
                }
            }
            out.writeInt(s.memory.ruleCount());
            for (int r = 0; r < s.memory.ruleCount(); r++) {
                Set<Labels> series = s.memory.lastOutput(r);
                out.writeInt(series.size());
                for (Labels l : series) LabelsCodec.write(l, out);
            }
        }

        @Override
        protected GroupState read(DataInputView in) throws IOException {
            int version = in.readByte();
            if (version != 1) throw new IOException("unknown group state version " + version);
            GroupState s = new GroupState();
            int pending = in.readInt();
            for (int i = 0; i < pending; i++) {
                long t = in.readLong();
                LeafValues[] perRule = new LeafValues[in.readInt()];
                for (int r = 0; r < perRule.length; r++) perRule[r] = in.readBoolean() ? LeafValues.readFrom(in) : null;
                s.pending.put(t, perRule);
            }
            int rules = in.readInt();
            for (int r = 0; r < rules; r++) {
                int n = in.readInt();
                Set<Labels> series = new HashSet<>(n * 2);
                for (int i = 0; i < n; i++) series.add(LabelsCodec.read(in));
                s.memory.setLastOutput(r, series);
            }
            return s;
        }

        @Override
        public TypeSerializerSnapshot<GroupState> snapshotConfiguration() { return new Snapshot(); }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<GroupState> {
        public Snapshot() { super(() -> Serializer.INSTANCE); }
    }
}
