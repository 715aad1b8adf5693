package io.flinkruler.rules;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Strings in the binary forms of rule groups and endpoint configs: UTF-8 with an int length (rule
 * expressions may exceed the 64 KiB of {@code writeUTF}), and nullable strings behind a flag.
 */
final class StringCodec {
    private StringCodec() {}

    static void writeString(DataOutput out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) throw new IOException("negative string length " + n);
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static void writeNullable(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) writeString(out, s);
    }

    static String readNullable(DataInput in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }
}
