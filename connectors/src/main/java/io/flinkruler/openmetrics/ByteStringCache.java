package io.flinkruler.openmetrics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns short byte runs into Strings, returning the same String for the same bytes while it stays
 * cached. Exposition files repeat metric names, label names and most label values on every line,
 * so this removes most String allocations of the parser. Direct-mapped: a collision just replaces.
 */
final class ByteStringCache {
    static final int MAX_CACHED_LENGTH = 96;

    private final byte[][] keys;
    private final String[] strings;
    private final int mask;

    ByteStringCache(int sizePowerOfTwo) {
        if (Integer.bitCount(sizePowerOfTwo) != 1) throw new IllegalArgumentException("size must be a power of two");
        keys = new byte[sizePowerOfTwo][];
        strings = new String[sizePowerOfTwo];
        mask = sizePowerOfTwo - 1;
    }

    /** The string of UTF-8 bytes {@code b[from, to)}; {@code ascii} tells that no byte is >= 0x80. */
    String get(byte[] b, int from, int to, boolean ascii) {
        int len = to - from;
        if (len == 0) return "";
        if (len > MAX_CACHED_LENGTH) return decode(b, from, to, ascii);
        int h = 0x811c9dc5;
        for (int i = from; i < to; i++) h = (h ^ b[i]) * 0x01000193;
        int slot = (h ^ (h >>> 16)) & mask;
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, b, from, to)) return strings[slot];
        String s = decode(b, from, to, ascii);
        keys[slot] = Arrays.copyOfRange(b, from, to);
        strings[slot] = s;
        return s;
    }

    static String decode(byte[] b, int from, int to, boolean ascii) {
        return new String(b, from, to - from, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }
}
