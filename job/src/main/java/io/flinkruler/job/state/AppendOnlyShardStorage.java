package io.flinkruler.job.state;

import io.flinkruler.job.records.ShardBatch;
import io.flinkruler.promql.eval.SeriesStore;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;

/**
 * A shard on a state backend that serializes values (RocksDB, ForSt): a batch costs writing the batch, not the
 * shard. Three states per shard: its clock (small, read per batch), its series as of its last timer (read and
 * written once per timer), and the blocks of samples that arrived since (appended per batch: on RocksDB a merge,
 * no read). A timer appends the blocks in arrival order, which rejects out-of-order samples exactly as appending
 * them on arrival would have (nothing else changes the series between timers). When more samples wait than the
 * series hold (a group interval long against the retention), a batch merges them: that bounds the list's size and
 * keeps the cost per sample at most about twice that of writing it.
 */
final class AppendOnlyShardStorage implements ShardStorage {
    /** Below this many waiting samples a batch never merges: merging costs a read and write of the whole shard. */
    static final long MIN_SAMPLES_TO_MERGE = 65_536;

    private final ValueState<ShardClock> clockState;
    private final ValueState<SeriesStore> seriesState;
    private final ListState<SampleBlock> pendingState;
    /** The in-place layout, read once per shard restored from a savepoint taken with it (or before this layout). */
    private final ValueState<ShardState> inPlaceState;
    private final Counter outOfOrder;
    private ShardClock clock;
    private SeriesStore series;

    AppendOnlyShardStorage(RuntimeContext context, ValueState<ShardState> inPlaceState, Counter outOfOrder) {
        this.clockState = context.getState(clockDescriptor());
        this.seriesState = context.getState(seriesDescriptor());
        this.pendingState = context.getListState(pendingDescriptor());
        this.inPlaceState = inPlaceState;
        this.outOfOrder = outOfOrder;
    }

    static ValueStateDescriptor<ShardClock> clockDescriptor() { return new ValueStateDescriptor<>("shard-clock", ShardClock.typeInfo()); }

    static ValueStateDescriptor<SeriesStore> seriesDescriptor() { return new ValueStateDescriptor<>("shard-series", SeriesStoreSerializer.typeInfo()); }

    static ListStateDescriptor<SampleBlock> pendingDescriptor() { return new ListStateDescriptor<>("shard-pending", SampleBlock.typeInfo()); }

    /** The shard as its next timer would see it, without changing the state; null if there is none. */
    static ShardState read(KeyedStateBackend<String> backend, Counter outOfOrder) throws Exception {
        ShardClock clock = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, clockDescriptor()).value();
        if (clock == null) return null;
        SeriesStore series = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, seriesDescriptor()).value();
        // a copy: on the heap the stored objects are the state itself
        clock = ShardClock.Serializer.INSTANCE.copy(clock);
        series = series == null ? new SeriesStore() : SeriesStoreSerializer.INSTANCE.copy(series);
        Iterable<SampleBlock> pending = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, pendingDescriptor()).get();
        if (pending != null) for (SampleBlock b : pending) clock.stored(b.appendTo(series, outOfOrder), b.watermark());
        return new ShardState(clock, series);
    }

    @Override
    public ShardClock load() throws Exception {
        series = null;
        clock = clockState.value();
        if (clock == null) {
            ShardState inPlace = inPlaceState.value();
            if (inPlace != null) {
                inPlaceState.clear();
                clock = inPlace.clock;
                series = inPlace.store;
                clock.mergedSamples = series.sampleCount();
                clockState.update(clock);
                seriesState.update(series);
            }
        }
        return clock;
    }

    @Override
    public ShardClock create() {
        clock = new ShardClock();
        series = null;
        return clock;
    }

    @Override
    public long add(ShardBatch samples, long watermark) throws Exception {
        SampleBlock block = new SampleBlock(watermark, samples.series(), samples.timestampsMs(), samples.values());
        pendingState.add(block);
        clock.unmergedSamples += block.size();
        if (clock.unmergedSamples >= Math.max(MIN_SAMPLES_TO_MERGE, clock.mergedSamples)) save();
        // which of them are out of order shows only when they are appended: all may be stored
        return block.earliestMs();
    }

    @Override
    public void saveClock() throws Exception { clockState.update(clock); }

    @Override
    public SeriesStore samples() throws Exception {
        if (series == null) {
            series = seriesState.value();
            if (series == null) series = new SeriesStore();
            Iterable<SampleBlock> pending = pendingState.get();
            if (pending != null) for (SampleBlock b : pending) clock.stored(b.appendTo(series, outOfOrder), b.watermark());
        }
        return series;
    }

    @Override
    public void save() throws Exception {
        SeriesStore all = samples();
        clock.mergedSamples = all.sampleCount();
        clock.unmergedSamples = 0;
        clockState.update(clock);
        seriesState.update(all);
        pendingState.clear();
    }

    @Override
    public void clear() {
        clockState.clear();
        seriesState.clear();
        pendingState.clear();
    }

    /**
     * The shard in this layout as one in-place shard, removed from this layout, or null. Samples not yet appended
     * are appended now; if that shows the first wake-up to be later than the registered timer, the timer still
     * moves on to it when it fires ({@link ShardClock#wakeUpMs}) unless a checkpoint comes first: the in-place
     * form does not keep the wake-up apart from the timer.
     */
    ShardState takeOver() throws Exception {
        ShardClock c = clockState.value();
        if (c == null) return null;
        clock = c;
        series = null;
        ShardState s = new ShardState(clock, samples());
        clear();
        return s;
    }
}
