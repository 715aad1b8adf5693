package io.flinkruler.remotewrite.internal;

import io.flinkruler.model.Labels;
import io.flinkruler.model.LabelsCodec;
import io.flinkruler.remotewrite.WriteBatch;
import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.RemoteWriteConfigCodec;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of {@link WriteBatch}: tenant, targets, sample count, then per sample labels (via
 * {@link LabelsCodec}), timestamp and the value's raw bits. Batches are immutable, so copies share.
 */
public final class WriteBatchSerializer extends TypeSerializerSingleton<WriteBatch> {
    private static final long serialVersionUID = 1L;
    public static final WriteBatchSerializer INSTANCE = new WriteBatchSerializer();

    @Override public boolean isImmutableType() { return true; }
    @Override public WriteBatch createInstance() { return new WriteBatch("", List.of(), new Labels[0], new long[0], new double[0]); }
    @Override public WriteBatch copy(WriteBatch from) { return from; }
    @Override public WriteBatch copy(WriteBatch from, WriteBatch reuse) { return from; }
    @Override public int getLength() { return -1; }

    @Override
    public void serialize(WriteBatch batch, DataOutputView out) throws IOException {
        out.writeUTF(batch.tenant());
        out.writeInt(batch.targets().size());
        for (RemoteWriteConfig target : batch.targets()) RemoteWriteConfigCodec.write(target, out);
        out.writeInt(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            LabelsCodec.write(batch.series(i), out);
            out.writeLong(batch.timestampMs(i));
            out.writeLong(Double.doubleToRawLongBits(batch.value(i)));
        }
    }

    @Override
    public WriteBatch deserialize(DataInputView in) throws IOException {
        String tenant = in.readUTF();
        int targetCount = in.readInt();
        List<RemoteWriteConfig> targets = new ArrayList<>(targetCount);
        for (int i = 0; i < targetCount; i++) targets.add(RemoteWriteConfigCodec.read(in));
        int n = in.readInt();
        Labels[] series = new Labels[n];
        long[] timestamps = new long[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            series[i] = LabelsCodec.read(in);
            timestamps[i] = in.readLong();
            values[i] = Double.longBitsToDouble(in.readLong());
        }
        return new WriteBatch(tenant, targets, series, timestamps, values);
    }

    @Override
    public WriteBatch deserialize(WriteBatch reuse, DataInputView in) throws IOException { return deserialize(in); }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException { serialize(deserialize(in), out); }

    @Override
    public TypeSerializerSnapshot<WriteBatch> snapshotConfiguration() { return new WriteBatchSerializerSnapshot(); }

    /** Restores {@link WriteBatchSerializer}; it has no configuration to remember. */
    public static final class WriteBatchSerializerSnapshot extends SimpleTypeSerializerSnapshot<WriteBatch> {
        public WriteBatchSerializerSnapshot() { super(() -> INSTANCE); }
    }
}
