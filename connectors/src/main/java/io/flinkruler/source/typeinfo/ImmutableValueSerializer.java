package io.flinkruler.source.typeinfo;

import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Base for stateless serializers of immutable value classes: copies are the value itself, so only
 * {@link #serialize} and {@link #deserialize(DataInputView)} are left to write.
 */
public abstract class ImmutableValueSerializer<T> extends TypeSerializerSingleton<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public final boolean isImmutableType() { return true; }

    @Override
    public final T copy(T from) { return from; }

    @Override
    public final T copy(T from, T reuse) { return from; }

    @Override
    public int getLength() { return -1; }

    @Override
    public final T deserialize(T reuse, DataInputView source) throws IOException { return deserialize(source); }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }
}
