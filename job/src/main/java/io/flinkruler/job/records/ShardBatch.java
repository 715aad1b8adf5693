package io.flinkruler.job.records;

import io.flinkruler.flink.RecordSerializer;
import io.flinkruler.flink.RecordTypeInfo;
import io.flinkruler.model.Labels;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Many samples of one shard (one tenant), so that the keyBy to the per-series step moves many
 * samples per record: one record per sample would cost more in Flink than the evaluation itself.
 */
@TypeInfo(ShardBatch.TypeFactory.class)
public record ShardBatch(String shardKey, String tenant, Labels[] series, long[] timestampsMs, double[] values) {

    public int size() { return series.length; }

    /** The samples {@code i} with {@code keep[i]} ({@code kept} of them), in order; this batch itself if all are kept. */
    public ShardBatch only(boolean[] keep, int kept) {
        if (kept == series.length) return this;
        Labels[] keptSeries = new Labels[kept];
        long[] keptTimes = new long[kept];
        double[] keptValues = new double[kept];
        int k = 0;
        for (int i = 0; i < series.length; i++) {
            if (!keep[i]) continue;
            keptSeries[k] = series[i];
            keptTimes[k] = timestampsMs[i];
            keptValues[k++] = values[i];
        }
        return new ShardBatch(shardKey, tenant, keptSeries, keptTimes, keptValues);
    }

    public static String shardKey(String tenant, int shard) { return tenant + "#" + shard; }

    public static final class Serializer extends RecordSerializer<ShardBatch> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        protected void write(ShardBatch b, DataOutputView out) throws IOException {
            out.writeUTF(b.shardKey);
            out.writeUTF(b.tenant);
            LabeledSamplesCodec.write(b.series, b.timestampsMs, b.values, out);
        }

        @Override
        protected ShardBatch read(DataInputView in) throws IOException {
            String key = in.readUTF();
            String tenant = in.readUTF();
            LabeledSamplesCodec.Samples s = LabeledSamplesCodec.read(in);
            return new ShardBatch(key, tenant, s.series(), s.timestampsMs(), s.values());
        }

        @Override
        public TypeSerializerSnapshot<ShardBatch> snapshotConfiguration() { return new Snapshot(); }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ShardBatch> {
        public Snapshot() { super(() -> Serializer.INSTANCE); }
    }

    public static final class TypeFactory extends TypeInfoFactory<ShardBatch> {
        @Override
        public TypeInformation<ShardBatch> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return typeInfo();
        }
    }

    public static TypeInformation<ShardBatch> typeInfo() { return new RecordTypeInfo<>(ShardBatch.class, Serializer.INSTANCE); }
}
