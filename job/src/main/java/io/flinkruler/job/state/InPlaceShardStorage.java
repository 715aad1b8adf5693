package io.flinkruler.job.state;

import io.flinkruler.job.records.ShardBatch;
import io.flinkruler.promql.eval.SeriesStore;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;

/**
 * A shard as one state object changed in place: on the heap backend reading and updating it costs no copy
 * (the backend copies it only once per checkpoint, if a snapshot still holds it). Samples are appended on
 * arrival, so out-of-order ones are known (and rejected) at once.
 */
final class InPlaceShardStorage implements ShardStorage {
    private final ValueState<ShardState> state;
    /** The append-only layout, read once per shard restored from a savepoint taken with it. */
    private final AppendOnlyShardStorage appendOnly;
    private final Counter outOfOrder;
    private ShardState shard;

    InPlaceShardStorage(ValueState<ShardState> state, AppendOnlyShardStorage appendOnly, Counter outOfOrder) {
        this.state = state;
        this.appendOnly = appendOnly;
        this.outOfOrder = outOfOrder;
    }

    static ValueStateDescriptor<ShardState> descriptor() {
        return new ValueStateDescriptor<>("shard", ShardState.typeInfo());
    }

    static ShardState read(KeyedStateBackend<String> backend) throws Exception {
        return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor()).value();
    }

    @Override
    public ShardClock load() throws Exception {
        shard = state.value();
        if (shard == null) {
            shard = appendOnly.takeOver();
            if (shard != null) state.update(shard);
        }
        return shard == null ? null : shard.clock;
    }

    @Override
    public ShardClock create() {
        shard = new ShardState(new ShardClock(), new SeriesStore());
        return shard.clock;
    }

    @Override
    public long add(ShardBatch samples, long watermark) {
        long earliest = SampleBlock.append(shard.store, samples.series(), samples.timestampsMs(), samples.values(), outOfOrder);
        shard.clock.stored(earliest, watermark);
        return earliest;
    }

    @Override
    public void saveClock() throws Exception { state.update(shard); }

    @Override
    public SeriesStore samples() { return shard.store; }

    @Override
    public void save() throws Exception { state.update(shard); }

    @Override
    public void clear() { state.clear(); }

    /** The shard in this layout, removed from it (for the other layout to keep), or null. */
    ShardState takeOver() throws Exception {
        ShardState s = state.value();
        if (s != null) state.clear();
        return s;
    }
}
