package io.flinkruler.flink;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Base of the hand-written serializers of flink-ruler's records. Records are treated as immutable
 * once emitted (operators never mutate what they received), so copies are the same object and
 * subclasses only say how to write and read one record. State objects that operators mutate in
 * place use {@link MutableStateSerializer} instead.
 */
public abstract class RecordSerializer<T> extends TypeSerializer<T> {
    private static final long serialVersionUID = 1L;

    protected abstract void write(T record, DataOutputView out) throws IOException;

    protected abstract T read(DataInputView in) throws IOException;

    @Override public boolean isImmutableType() { return true; }
    @Override public final TypeSerializer<T> duplicate() { return this; }
    @Override public T createInstance() { return null; }
    @Override public T copy(T from) { return from; }
    @Override public T copy(T from, T reuse) { return copy(from); }
    @Override public final int getLength() { return -1; }
    @Override public final void serialize(T record, DataOutputView target) throws IOException { write(record, target); }
    @Override public final T deserialize(DataInputView source) throws IOException { return read(source); }
    @Override public final T deserialize(T reuse, DataInputView source) throws IOException { return read(source); }

    @Override
    public final void copy(DataInputView source, DataOutputView target) throws IOException {
        write(read(source), target);
    }

    @Override public final boolean equals(Object obj) { return obj != null && obj.getClass() == getClass(); }
    @Override public final int hashCode() { return getClass().hashCode(); }
}
