package io.flinkruler.evaluation;

import java.io.DataOutput;
import java.io.UTFDataFormatException;
import java.util.Arrays;

/**
 * A growable byte array written through {@link DataOutput}, byte for byte as {@code DataOutputStream}
 * over a {@code ByteArrayOutputStream} writes it, without their locks and per-write stream calls.
 * Leaf values are serialized many times per evaluation; they are read back by {@code DataInputStream}
 * and by Flink's views as well, so the bytes must not differ.
 */
public final class ByteArrayDataOutput implements DataOutput {
    private byte[] buffer;
    private int size;

    public ByteArrayDataOutput(int initialCapacity) {
        buffer = new byte[Math.max(0, initialCapacity)];
    }

    public int size() { return size; }

    public byte[] toByteArray() { return Arrays.copyOf(buffer, size); }

    /**
     * The bytes written, without a copy when the array is exactly full (an output sized in advance):
     * the output must not be used afterwards.
     */
    public byte[] takeBytes() {
        byte[] bytes = size == buffer.length ? buffer : toByteArray();
        buffer = null;
        return bytes;
    }

    private void ensureRoom(int more) {
        int needed = size + more;
        if (needed < 0) throw new OutOfMemoryError("serialized form larger than 2 GiB");
        if (needed > buffer.length) buffer = Arrays.copyOf(buffer, Math.max(Math.max(needed, 16), buffer.length * 2));
    }

    @Override
    public void write(int b) {
        ensureRoom(1);
        buffer[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b) { write(b, 0, b.length); }

    @Override
    public void write(byte[] b, int off, int len) {
        ensureRoom(len);
        System.arraycopy(b, off, buffer, size, len);
        size += len;
    }

    @Override
    public void writeBoolean(boolean v) { write(v ? 1 : 0); }

    @Override
    public void writeByte(int v) { write(v); }

    @Override
    public void writeShort(int v) {
        ensureRoom(2);
        buffer[size] = (byte) (v >>> 8);
        buffer[size + 1] = (byte) v;
        size += 2;
    }

    @Override
    public void writeChar(int v) { writeShort(v); }

    @Override
    public void writeInt(int v) {
        ensureRoom(4);
        byte[] b = buffer;
        int p = size;
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
        size = p + 4;
    }

    @Override
    public void writeLong(long v) {
        ensureRoom(8);
        byte[] b = buffer;
        int p = size;
        b[p] = (byte) (v >>> 56);
        b[p + 1] = (byte) (v >>> 48);
        b[p + 2] = (byte) (v >>> 40);
        b[p + 3] = (byte) (v >>> 32);
        b[p + 4] = (byte) (v >>> 24);
        b[p + 5] = (byte) (v >>> 16);
        b[p + 6] = (byte) (v >>> 8);
        b[p + 7] = (byte) v;
        size = p + 8;
    }

    @Override
    public void writeFloat(float v) { writeInt(Float.floatToIntBits(v)); }

    @Override
    public void writeDouble(double v) { writeLong(Double.doubleToLongBits(v)); }

    @Override
    public void writeBytes(String s) {
        int len = s.length();
        ensureRoom(len);
        for (int i = 0; i < len; i++) buffer[size++] = (byte) s.charAt(i);
    }

    @Override
    public void writeChars(String s) {
        int len = s.length();
        ensureRoom(2 * len);
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            buffer[size++] = (byte) (c >>> 8);
            buffer[size++] = (byte) c;
        }
    }

    /** Modified UTF-8 with a two-byte length, as {@code DataOutputStream.writeUTF}. */
    @Override
    public void writeUTF(String s) throws UTFDataFormatException {
        int chars = s.length();
        int encoded = chars;
        for (int i = 0; i < chars; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || c == 0) encoded += c >= 0x800 ? 2 : 1;
        }
        if (encoded > 0xFFFF) {
            throw new UTFDataFormatException("encoded string (" + s.substring(0, Math.min(8, chars)) + "...) too long: "
                    + encoded + " bytes");
        }
        ensureRoom(2 + encoded);
        byte[] b = buffer;
        int p = size;
        b[p++] = (byte) (encoded >>> 8);
        b[p++] = (byte) encoded;
        for (int i = 0; i < chars; i++) {
            char c = s.charAt(i);
            if (c < 0x80 && c != 0) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        size = p;
    }
}
