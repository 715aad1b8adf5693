package io.flinkruler.job.state;

import io.flinkruler.flink.RecordSerializer;
import io.flinkruler.flink.RecordTypeInfo;
import io.flinkruler.model.Labels;
import io.flinkruler.model.LabelsCodec;
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

    /** The form of a shard batch on the wire: consecutive samples of one series carry its labels once. */
    public static final class Serializer extends RecordSerializer<SampleBlock> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        protected void write(SampleBlock b, DataOutputView out) throws IOException {
            out.writeByte(1);
            out.writeLong(b.watermark);
            out.writeInt(b.series.length);
            Labels previous = null;
            for (int i = 0; i < b.series.length; i++) {
                boolean same = b.series[i] == previous;
                out.writeBoolean(same);
                if (!same) LabelsCodec.write(b.series[i], out);
                previous = b.series[i];
                out.writeLong(b.timestampsMs[i]);
                out.writeLong(Double.doubleToRawLongBits(b.values[i]));
            }
        }

        @Override
        protected SampleBlock read(DataInputView in) throws IOException {
            int version = in.readByte();
            if (version != 1) throw new IOException("unknown sample block version " + version);
            long watermark = in.readLong();
            int n = in.readInt();
            Labels[] series = new Labels[n];
            long[] ts = new long[n];
            double[] values = new double[n];
            Labels previous = null;
            for (int i = 0; i < n; i++) {
                series[i] = in.readBoolean() ? previous : LabelsCodec.read(in);
                previous = series[i];
                ts[i] = in.readLong();
                values[i] = Double.longBitsToDouble(in.readLong());
            }
            return new SampleBlock(watermark, series, ts, values);
        }

        @Override
        public TypeSerializerSnapshot<SampleBlock> snapshotConfiguration() { return new Snapshot(); }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SampleBlock> {
        public Snapshot() { super(() -> Serializer.INSTANCE); }
    }
}
