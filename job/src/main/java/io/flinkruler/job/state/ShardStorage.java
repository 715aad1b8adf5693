package io.flinkruler.job.state;

import io.flinkruler.job.records.ShardBatch;
import io.flinkruler.promql.eval.SeriesStore;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.heap.AbstractHeapState;

/**
 * Where the per-series step keeps a shard's samples between evaluations, for the current key. Every callback
 * starts with {@link #load} (or {@link #create}); the other methods act on the shard it loaded.
 *
 * <p>On the heap the shard is one object changed in place ({@link InPlaceShardStorage}). A state backend that
 * serializes values (RocksDB, ForSt) would read and write the whole shard for every batch; there samples are
 * appended to a list instead and merged into the shard's series once per timer ({@link AppendOnlyShardStorage}).
 */
public interface ShardStorage {

    /** The current shard's clock, or null if the shard holds nothing. */
    ShardClock load() throws Exception;

    /** Starts an empty shard, when {@link #load} found none. */
    ShardClock create();

    /**
     * Stores samples, none of them late, that arrived at {@code watermark}. Samples not after their series' last
     * one are rejected (and counted) now or at the next {@link #samples}. Returns the earliest timestamp that may
     * have been stored ({@link Long#MAX_VALUE}: none), and notes in the clock ({@link ShardClock#stored}) the
     * samples known to be stored.
     */
    long add(ShardBatch samples, long watermark) throws Exception;

    /** Keeps the clock after {@link #add} (and the timer logic) changed it. */
    void saveClock() throws Exception;

    /** All the shard's samples, to evaluate and evict; changes to them are kept by {@link #save}. */
    SeriesStore samples() throws Exception;

    /** Keeps the clock and the samples after a timer. */
    void save() throws Exception;

    /** Drops the shard. */
    void clear();

    /**
     * The storage for the state backend the function runs on: in place for heap state, append-only otherwise.
     * Both register their states, so that a savepoint of one layout restores into the other.
     */
    static ShardStorage open(RuntimeContext context, Counter outOfOrder) {
        ValueState<ShardState> shards = context.getState(InPlaceShardStorage.descriptor());
        AppendOnlyShardStorage appendOnly = new AppendOnlyShardStorage(context, shards, outOfOrder);
        // a heap state hands out the stored object itself; other backends a deserialized copy
        return shards instanceof AbstractHeapState<?, ?, ?> ? new InPlaceShardStorage(shards, appendOnly, outOfOrder) : appendOnly;
    }

    /**
     * The shard of {@code key} as its next evaluation would see it, in either layout, or null: for tests and
     * benchmarks. Leaves the state as it is (on the heap, the returned object is the stored one: do not change it).
     */
    static ShardState inspect(KeyedStateBackend<String> backend, String key) throws Exception {
        backend.setCurrentKey(key);
        ShardState inPlace = InPlaceShardStorage.read(backend);
        return inPlace != null ? inPlace : AppendOnlyShardStorage.read(backend, new SimpleCounter());
    }
}
