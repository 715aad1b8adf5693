package io.flinkruler.job.state;

import io.flinkruler.flink.RecordTypeInfo;
import io.flinkruler.flink.MutableStateSerializer;
import io.flinkruler.promql.eval.SeriesStore;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Keyed state of one shard: its series in one dense store (one state object per shard, not per
 * series), and the last evaluation timestamp, before which samples arrive too late.
 * Mutated in place: the heap state backend keeps the object, snapshots serialize it.
 */
public final class ShardState {
    public final SeriesStore store;
    public long lastEvaluatedMs = Long.MIN_VALUE;
    /** The shard's pending event-time timer, or {@link Long#MAX_VALUE} when none is registered. */
    public long nextTimerMs = Long.MAX_VALUE;

    public ShardState(SeriesStore store) { this.store = store; }

    public static TypeInformation<ShardState> typeInfo() {
        return new RecordTypeInfo<>(ShardState.class, Serializer.INSTANCE);
    }

    public static final class Serializer extends MutableStateSerializer<ShardState> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        protected void write(ShardState s, DataOutputView out) throws IOException {
            out.writeByte(1);
            out.writeLong(s.lastEvaluatedMs);
            out.writeLong(s.nextTimerMs);
            s.store.writeTo(out);
        }

        @Override
        protected ShardState read(DataInputView in) throws IOException {
            int version = in.readByte();
            if (version != 1) throw new IOException("unknown shard state version " + version);
            long last = in.readLong();
            long next = in.readLong();
            ShardState s = new ShardState(SeriesStore.readFrom(in));
            s.lastEvaluatedMs = last;
            s.nextTimerMs = next;
            return s;
        }

        @Override
        public TypeSerializerSnapshot<ShardState> snapshotConfiguration() { return new Snapshot(); }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ShardState> {
        public Snapshot() { super(() -> Serializer.INSTANCE); }
    }
}
