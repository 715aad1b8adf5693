package io.flinkruler.evaluation;

import java.io.DataInput;
import java.io.EOFException;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a byte array through {@link DataInput} as {@code DataInputStream} over a
 * {@code ByteArrayInputStream} would, without the stream layers. Short ASCII strings (label names and
 * the values many series share) are decoded once per reader: the same string is returned again
 * while it stays in a small direct-mapped cache, so a partial of thousands of series does not hold
 * thousands of copies of {@code "__name__"}.
 */
public final class ByteArrayDataInput implements DataInput {
    private static final int CACHE_SLOTS = 256;
    private static final int CACHED_MAX_LENGTH = 64;

    private final byte[] bytes;
    private final int end;
    private int position;
    private String[] cache;

    public ByteArrayDataInput(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    public ByteArrayDataInput(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.position = offset;
        this.end = offset + length;
    }

    /** Bytes left to read. */
    public int available() { return end - position; }

    private int take(int n) throws EOFException {
        int p = position;
        if (n > end - p) throw new EOFException();
        position = p + n;
        return p;
    }

    @Override
    public void readFully(byte[] b) throws EOFException { readFully(b, 0, b.length); }

    @Override
    public void readFully(byte[] b, int off, int len) throws EOFException {
        System.arraycopy(bytes, take(len), b, off, len);
    }

    @Override
    public int skipBytes(int n) {
        int skipped = Math.max(0, Math.min(n, end - position));
        position += skipped;
        return skipped;
    }

    @Override
    public boolean readBoolean() throws EOFException { return bytes[take(1)] != 0; }

    @Override
    public byte readByte() throws EOFException { return bytes[take(1)]; }

    @Override
    public int readUnsignedByte() throws EOFException { return bytes[take(1)] & 0xFF; }

    @Override
    public short readShort() throws EOFException { return (short) readUnsignedShort(); }

    @Override
    public int readUnsignedShort() throws EOFException {
        int p = take(2);
        return (bytes[p] & 0xFF) << 8 | (bytes[p + 1] & 0xFF);
    }

    @Override
    public char readChar() throws EOFException { return (char) readUnsignedShort(); }

    @Override
    public int readInt() throws EOFException {
        int p = take(4);
        byte[] b = bytes;
        return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }

    @Override
    public long readLong() throws EOFException {
        int p = take(8);
        byte[] b = bytes;
        return (b[p] & 0xFFL) << 56 | (b[p + 1] & 0xFFL) << 48 | (b[p + 2] & 0xFFL) << 40 | (b[p + 3] & 0xFFL) << 32
                | (b[p + 4] & 0xFFL) << 24 | (b[p + 5] & 0xFFL) << 16 | (b[p + 6] & 0xFFL) << 8 | (b[p + 7] & 0xFFL);
    }

    @Override
    public float readFloat() throws EOFException { return Float.intBitsToFloat(readInt()); }

    @Override
    public double readDouble() throws EOFException { return Double.longBitsToDouble(readLong()); }

    /** A line up to \n, \r or \r\n, bytes taken as chars (as {@code DataInputStream.readLine}); null at the end. */
    @Override
    public String readLine() {
        if (position >= end) return null;
        StringBuilder sb = new StringBuilder();
        while (position < end) {
            char c = (char) (bytes[position++] & 0xFF);
            if (c == '\n') break;
            if (c == '\r') {
                if (position < end && bytes[position] == '\n') position++;
                break;
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Modified UTF-8 with a two-byte length, as {@code DataInputStream.readUTF}. */
    @Override
    public String readUTF() throws EOFException, UTFDataFormatException {
        int length = readUnsignedShort();
        int start = take(length);
        int hash = 0;
        byte[] b = bytes;
        for (int i = start; i < start + length; i++) {
            byte c = b[i];
            if (c <= 0) return decodeModifiedUtf8(start, length);
            hash = 31 * hash + c;
        }
        if (length > CACHED_MAX_LENGTH) return new String(b, start, length, StandardCharsets.ISO_8859_1);
        if (cache == null) cache = new String[CACHE_SLOTS];
        int slot = (hash ^ (hash >>> 16)) & (CACHE_SLOTS - 1);
        String cached = cache[slot];
        if (cached != null && cached.hashCode() == hash && sameAscii(cached, start, length)) return cached;
        String s = new String(b, start, length, StandardCharsets.ISO_8859_1);
        cache[slot] = s;
        return s;
    }

    private boolean sameAscii(String s, int start, int length) {
        if (s.length() != length) return false;
        for (int i = 0; i < length; i++) if (s.charAt(i) != bytes[start + i]) return false;
        return true;
    }

    private String decodeModifiedUtf8(int start, int length) throws UTFDataFormatException {
        char[] chars = new char[length];
        int count = 0;
        int i = 0;
        byte[] b = bytes;
        while (i < length) {
            int c = b[start + i] & 0xFF;
            switch (c >> 4) {
                case 0, 1, 2, 3, 4, 5, 6, 7 -> {
                    i++;
                    chars[count++] = (char) c;
                }
                case 12, 13 -> {
                    i += 2;
                    if (i > length) throw new UTFDataFormatException("malformed input: partial character at end");
                    int c2 = b[start + i - 1];
                    if ((c2 & 0xC0) != 0x80) throw new UTFDataFormatException("malformed input around byte " + i);
                    chars[count++] = (char) (((c & 0x1F) << 6) | (c2 & 0x3F));
                }
                case 14 -> {
                    i += 3;
                    if (i > length) throw new UTFDataFormatException("malformed input: partial character at end");
                    int c2 = b[start + i - 2];
                    int c3 = b[start + i - 1];
                    if ((c2 & 0xC0) != 0x80 || (c3 & 0xC0) != 0x80) {
                        throw new UTFDataFormatException("malformed input around byte " + (i - 1));
                    }
                    chars[count++] = (char) (((c & 0x0F) << 12) | ((c2 & 0x3F) << 6) | (c3 & 0x3F));
                }
                default -> throw new UTFDataFormatException("malformed input around byte " + i);
            }
        }
        return new String(chars, 0, count);
    }
}
