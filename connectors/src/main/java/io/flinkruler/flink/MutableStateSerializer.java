package io.flinkruler.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Serializer of a state object that operators mutate in place. The heap state backend copies such
 * an object (once per checkpoint, on first access) so that an asynchronous snapshot never sees it
 * change under its feet; the copy here is a round trip through the binary form.
 */
public abstract class MutableStateSerializer<T> extends RecordSerializer<T> {
    private static final long serialVersionUID = 1L;

    @Override public final boolean isImmutableType() { return false; }

    @Override
    public final T copy(T from) {
        if (from == null) return null;
        try {
            DataOutputSerializer out = new DataOutputSerializer(4096);
            write(from, out);
            return read(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
