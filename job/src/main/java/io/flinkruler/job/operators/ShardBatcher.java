package io.flinkruler.job.operators;

import io.flinkruler.job.records.ShardBatch;
import io.flinkruler.model.Labels;
import io.flinkruler.source.Sample;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Groups samples by shard into {@link ShardBatch}es before the keyBy, chained to the source. A batch
 * is flushed when full, before every watermark (so that a watermark never overtakes samples it
 * covers) and before every checkpoint barrier (so that the operator has no state).
 */
public final class ShardBatcher extends AbstractStreamOperator<ShardBatch> implements OneInputStreamOperator<Sample, ShardBatch> {
    private static final long serialVersionUID = 1L;

    private final int shards;
    private final int maxBatch;
    private transient Map<String, Buffer> buffers;

    public ShardBatcher(int shards, int maxBatch) {
        this.shards = shards;
        this.maxBatch = maxBatch;
    }

    /** The shard of a series: stable across JVMs and restarts, since keyed state is found by it. */
    public static int shardOf(String tenant, Labels labels, int shards) {
        long h = labels.stableHash() * 31 + tenant.hashCode();
        h ^= (h >>> 33);
        return (int) Math.floorMod(h, (long) shards);
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffers = new HashMap<>();
    }

    @Override
    public void processElement(StreamRecord<Sample> element) {
        Sample s = element.getValue();
        String key = ShardBatch.shardKey(s.tenant(), shardOf(s.tenant(), s.labels(), shards));
        Buffer b = buffers.computeIfAbsent(key, k -> new Buffer(k, s.tenant(), maxBatch));
        b.add(s.labels(), s.timestampMs(), s.value());
        if (b.size == maxBatch) emit(b);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flushAll();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flushAll();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flushAll();
        super.finish();
    }

    private void flushAll() {
        for (Buffer b : buffers.values()) if (b.size > 0) emit(b);
    }

    private void emit(Buffer b) {
        output.collect(new StreamRecord<>(b.drain()));
    }

    private static final class Buffer {
        final String key;
        final String tenant;
        Labels[] series;
        long[] ts;
        double[] values;
        int size;

        Buffer(String key, String tenant, int capacity) {
            this.key = key;
            this.tenant = tenant;
            this.series = new Labels[capacity];
            this.ts = new long[capacity];
            this.values = new double[capacity];
        }

        void add(Labels l, long t, double v) {
            series[size] = l;
            ts[size] = t;
            values[size] = v;
            size++;
        }

        ShardBatch drain() {
            ShardBatch batch = size == series.length
                    ? new ShardBatch(key, tenant, series, ts, values)
                    : new ShardBatch(key, tenant, Arrays.copyOf(series, size), Arrays.copyOf(ts, size), Arrays.copyOf(values, size));
            int capacity = series.length;
            series = new Labels[capacity];
            ts = new long[capacity];
            values = new double[capacity];
            size = 0;
            return batch;
        }
    }
}
