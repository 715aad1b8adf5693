package io.flinkruler.remotewrite.internal;

import io.flinkruler.remotewrite.WriteBatch;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information of {@link WriteBatch}: an opaque, non-key type with a hand-written serializer. */
public final class WriteBatchTypeInfo extends TypeInformation<WriteBatch> {
    private static final long serialVersionUID = 1L;
    public static final WriteBatchTypeInfo INSTANCE = new WriteBatchTypeInfo();

    @Override public boolean isBasicType() { return false; }
    @Override public boolean isTupleType() { return false; }
    @Override public int getArity() { return 1; }
    @Override public int getTotalFields() { return 1; }
    @Override public Class<WriteBatch> getTypeClass() { return WriteBatch.class; }
    @Override public boolean isKeyType() { return false; }
    @Override public TypeSerializer<WriteBatch> createSerializer(SerializerConfig config) { return WriteBatchSerializer.INSTANCE; }
    @Override public String toString() { return "WriteBatch"; }
    @Override public boolean equals(Object o) { return o instanceof WriteBatchTypeInfo; }
    @Override public int hashCode() { return WriteBatchTypeInfo.class.hashCode(); }
    @Override public boolean canEqual(Object o) { return o instanceof WriteBatchTypeInfo; }
}
