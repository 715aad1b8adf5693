package io.flinkruler.source;

import io.flinkruler.model.LabelsCodec;
import io.flinkruler.source.typeinfo.ImmutableValueSerializer;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** Wire form of {@link Sample}: tenant (UTF), labels ({@link LabelsCodec}), timestamp, raw value bits. */
public final class SampleSerializer extends ImmutableValueSerializer<Sample> {
    private static final long serialVersionUID = 1L;
    public static final SampleSerializer INSTANCE = new SampleSerializer();

    @Override
    public Sample createInstance() {
        return new Sample("", io.flinkruler.model.Labels.EMPTY, 0L, 0.0);
    }

    @Override
    public void serialize(Sample s, DataOutputView out) throws IOException {
        out.writeUTF(s.tenant());
        LabelsCodec.write(s.labels(), out);
        out.writeLong(s.timestampMs());
        // Raw bits keep the staleness marker's NaN payload intact.
        out.writeLong(Double.doubleToRawLongBits(s.value()));
    }

    @Override
    public Sample deserialize(DataInputView in) throws IOException {
        String tenant = in.readUTF();
        var labels = LabelsCodec.read(in);
        long ts = in.readLong();
        double value = Double.longBitsToDouble(in.readLong());
        return new Sample(tenant, labels, ts, value);
    }

    @Override
    public TypeSerializerSnapshot<Sample> snapshotConfiguration() { return new Snapshot(); }

    /** Format version 1; a stateless serializer so the snapshot only names the class. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Sample> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
