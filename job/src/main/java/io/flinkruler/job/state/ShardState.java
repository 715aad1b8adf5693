package io.flinkruler.job.state;

import io.flinkruler.flink.MutableStateSerializer;
import io.flinkruler.flink.RecordTypeInfo;
import io.flinkruler.promql.eval.SeriesStore;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Keyed state of one shard on the heap: its series in one dense store (one state object per shard, not per
 * series) and its clock. Mutated in place: the heap state backend keeps the object, snapshots serialize it.
 */
public final class ShardState {
    public final ShardClock clock;
    public final SeriesStore store;

    public ShardState(ShardClock clock, SeriesStore store) {
        this.clock = clock;
        this.store = store;
    }

    public static TypeInformation<ShardState> typeInfo() {
        return new RecordTypeInfo<>(ShardState.class, Serializer.INSTANCE);
    }

    public static final class Serializer extends MutableStateSerializer<ShardState> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        protected void write(ShardState s, DataOutputView out) throws IOException {
            out.writeByte(1);
            out.writeLong(s.clock.lastEvaluatedMs);
            out.writeLong(s.clock.nextTimerMs);
            s.store.writeTo(out);
        }

        @Override
        protected ShardState read(DataInputView in) throws IOException {
            int version = in.readByte();
            if (version != 1) throw new IOException("unknown shard state version " + version);
            ShardClock clock = new ShardClock();
            clock.lastEvaluatedMs = in.readLong();
            clock.nextTimerMs = in.readLong();
            // stored in place, every sample's fate is known on arrival: the wake-up is the timer
            if (!clock.evaluated()) clock.wakeUpMs = clock.nextTimerMs;
            return new ShardState(clock, SeriesStore.readFrom(in));
        }

        @Override
        public TypeSerializerSnapshot<ShardState> snapshotConfiguration() { return new Snapshot(); }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ShardState> {
        public Snapshot() { super(() -> Serializer.INSTANCE); }
    }
}
