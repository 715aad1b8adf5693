package io.flinkruler.job.state;

import io.flinkruler.flink.RecordSerializer;
import io.flinkruler.flink.RecordTypeInfo;
import io.flinkruler.job.records.LabeledSamplesCodec;
import io.flinkruler.model.Labels;
import io.flinkruler.promql.eval.SeriesStore;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.metrics.Counter;

/**
 * The samples of one batch (none late) as they arrived, with the watermark at their arrival: what an append-only
 * shard storage keeps until the shard's next timer appends them to its series.
 */
public record SampleBlock(long watermark, Labels[] series, long[] timestampsMs, double[] values) {

    public int size() { return series.length; }

    public long earliestMs() {
        long earliest = Long.MAX_VALUE;
        for (long ts : timestampsMs) earliest = Math.min(earliest, ts);
        return earliest;
    }

    /** Appends the samples in order; returns the earliest timestamp stored ({@link Long#MAX_VALUE}: none). */
    public long appendTo(SeriesStore store, Counter outOfOrder) {
        return append(store, series, timestampsMs, values, outOfOrder);
    }

    /**
     * Appends samples in order, counting those not after their series' last sample (stored nothing for them);
     * returns the earliest timestamp stored ({@link Long#MAX_VALUE}: none).
     */
    public static long append(SeriesStore store, Labels[] series, long[] timestampsMs, double[] values, Counter outOfOrder) {
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < series.length; i++) {
            if (!store.append(series[i], timestampsMs[i], values[i])) {
                outOfOrder.inc();
                continue;
            }
            earliest = Math.min(earliest, timestampsMs[i]);
        }
        return earliest;
    }

    public static TypeInformation<SampleBlock> typeInfo() {
        return new RecordTypeInfo<>(SampleBlock.class, Serializer.INSTANCE);
    }

    /** Written in {@link LabeledSamplesCodec}'s form (label strings once per block), after a version and the watermark. */
    public static final class Serializer extends RecordSerializer<SampleBlock> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        protected void write(SampleBlock b, DataOutputView out) throws IOException {
            out.writeByte(1);
            out.writeLong(b.watermark);
            LabeledSamplesCodec.write(b.series, b.timestampsMs, b.values, out);
        }

        @Override
        protected SampleBlock read(DataInputView in) throws IOException {
            int version = in.readByte();
            if (version != 1) throw new IOException("unknown sample block version " + version);
            long watermark = in.readLong();
            LabeledSamplesCodec.Samples s = LabeledSamplesCodec.read(in);
            return new SampleBlock(watermark, s.series(), s.timestampsMs(), s.values());
        }

        @Override
        public TypeSerializerSnapshot<SampleBlock> snapshotConfiguration() { return new Snapshot(); }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SampleBlock> {
        public Snapshot() { super(() -> Serializer.INSTANCE); }
    }
}
