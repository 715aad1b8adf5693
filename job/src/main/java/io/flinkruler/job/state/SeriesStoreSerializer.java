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

/** A shard's series as one state value (the store's own binary form, behind a version byte). */
public final class SeriesStoreSerializer extends MutableStateSerializer<SeriesStore> {
    private static final long serialVersionUID = 1L;
    public static final SeriesStoreSerializer INSTANCE = new SeriesStoreSerializer();

    public static TypeInformation<SeriesStore> typeInfo() {
        return new RecordTypeInfo<>(SeriesStore.class, INSTANCE);
    }

    @Override
    protected void write(SeriesStore store, DataOutputView out) throws IOException {
        out.writeByte(1);
        store.writeTo(out);
    }

    @Override
    protected SeriesStore read(DataInputView in) throws IOException {
        int version = in.readByte();
        if (version != 1) throw new IOException("unknown series store version " + version);
        return SeriesStore.readFrom(in);
    }

    @Override
    public TypeSerializerSnapshot<SeriesStore> snapshotConfiguration() { return new Snapshot(); }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SeriesStore> {
        public Snapshot() { super(() -> INSTANCE); }
    }
}
