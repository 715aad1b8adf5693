package io.flinkruler.source.typeinfo;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Type information for a value class with one hand-written serializer: an atomic, non-key type,
 * so Flink never falls back to Kryo or tries to analyse the class as a POJO.
 */
public abstract class ValueTypeInfo<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> typeClass;

    protected ValueTypeInfo(Class<T> typeClass) {
        this.typeClass = typeClass;
    }

    /** The serializer; stateless serializers may return a shared instance. */
    protected abstract TypeSerializer<T> serializer();

    @Override
    public final TypeSerializer<T> createSerializer(SerializerConfig config) { return serializer(); }

    @Override
    public boolean isBasicType() { return false; }

    @Override
    public boolean isTupleType() { return false; }

    @Override
    public int getArity() { return 1; }

    @Override
    public int getTotalFields() { return 1; }

    @Override
    public Class<T> getTypeClass() { return typeClass; }

    @Override
    public boolean isKeyType() { return false; }

    @Override
    public String toString() { return typeClass.getSimpleName(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueTypeInfo<?> other && other.canEqual(this) && typeClass == other.typeClass;
    }

    @Override
    public int hashCode() { return typeClass.hashCode(); }

    @Override
    public boolean canEqual(Object o) { return o != null && o.getClass() == getClass(); }
}
