package io.flinkruler.job.state;

import io.flinkruler.evaluation.GroupMemory;
import io.flinkruler.evaluation.PendingEvaluation;
import io.flinkruler.flink.MutableStateSerializer;
import io.flinkruler.flink.RecordTypeInfo;
import io.flinkruler.model.Labels;
import io.flinkruler.model.LabelsCodec;
import io.flinkruler.promql.eval.LeafValues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 * whose shards have not all reported yet (the watermark decides), and what the group remembers
 * between evaluations (last outputs, its own recorded series).
 */
public final class GroupState {
    /** evaluation timestamp -> the shards' partials merged so far. */
    public final TreeMap<Long, PendingEvaluation> pending = new TreeMap<>();
    public GroupMemory memory = new GroupMemory();

    public boolean isEmpty() { return pending.isEmpty() && memory.isEmpty(); }

    public static TypeInformation<GroupState> typeInfo() {
        return new RecordTypeInfo<>(GroupState.class, Serializer.INSTANCE);
    }

    public static final class Serializer extends MutableStateSerializer<GroupState> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();
        private static final byte FORMAT = 2;

        @Override
        protected void write(GroupState s, DataOutputView out) throws IOException {
            out.writeByte(FORMAT);
            out.writeInt(s.pending.size());
            for (Map.Entry<Long, PendingEvaluation> e : s.pending.entrySet()) {
                out.writeLong(e.getKey());
                e.getValue().writeTo(out);
            }
            s.memory.writeTo(out);
        }

        @Override
        protected GroupState read(DataInputView in) throws IOException {
            int format = in.readByte();
            if (format == 1) return readFirstFormat(in);
            if (format != FORMAT) throw new IOException("unknown group state format " + format);
            GroupState s = new GroupState();
            int pending = in.readInt();
            for (int i = 0; i < pending; i++) s.pending.put(in.readLong(), PendingEvaluation.readFrom(in));
            s.memory = GroupMemory.readFrom(in);
            return s;
        }

        /** Format 1 had no group versions in pending partials and only the last outputs as memory. */
        private static GroupState readFirstFormat(DataInputView in) throws IOException {
            GroupState s = new GroupState();
            int pending = in.readInt();
            for (int i = 0; i < pending; i++) {
                long t = in.readLong();
                int rules = in.readInt();
                for (int r = 0; r < rules; r++) if (in.readBoolean()) LeafValues.readFrom(in);
                // without the version they were computed from, these partials cannot be trusted: dropped
            }
            int rules = in.readInt();
            List<Set<Labels>> last = new ArrayList<>(rules);
            for (int r = 0; r < rules; r++) {
                int n = in.readInt();
                Set<Labels> series = new HashSet<>(n * 2);
                for (int i = 0; i < n; i++) series.add(LabelsCodec.read(in));
                last.add(series);
            }
            s.memory = GroupMemory.ofLastOutputs(last);
            return s;
        }

        @Override
        public TypeSerializerSnapshot<GroupState> snapshotConfiguration() { return new Snapshot(); }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<GroupState> {
        public Snapshot() { super(() -> Serializer.INSTANCE); }
    }
}
