package io.flinkruler.kafka;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes protobuf messages field by field, for requests no encoder writes (wrong refs, odd field orders). */
final class ProtobufWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    private interface Write { void to(CodedOutputStream out) throws IOException; }

    private ProtobufWriter write(Write w) {
        try {
            w.to(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    ProtobufWriter string(int field, String s) { return write(o -> o.writeString(field, s)); }

    ProtobufWriter message(int field, ProtobufWriter m) { return write(o -> o.writeByteArray(field, m.bytes())); }

    ProtobufWriter packedUInt32(int field, int... values) {
        ProtobufWriter packed = new ProtobufWriter();
        for (int v : values) packed.write(o -> o.writeUInt32NoTag(v));
        return write(o -> o.writeByteArray(field, packed.bytes()));
    }

    ProtobufWriter uint32(int field, int value) { return write(o -> o.writeUInt32(field, value)); }

    ProtobufWriter int64(int field, long value) { return write(o -> o.writeInt64(field, value)); }

    ProtobufWriter fixed64(int field, long bits) {
        return write(o -> {
            o.writeTag(field, WireFormat.WIRETYPE_FIXED64);
            o.writeFixed64NoTag(bits);
        });
    }

    ProtobufWriter raw(byte[] b) { return write(o -> o.writeRawBytes(b)); }

    byte[] bytes() { return bytes.toByteArray(); }
}
