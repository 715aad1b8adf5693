package io.flinkruler.openmetrics;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LineReaderTest {
    /** Lines as strings, with "<too long>" for skipped ones, and the offset after each. */
    private static List<String> read(byte[] data, int maxLine, InputStream in) throws IOException {
        List<String> out = new ArrayList<>();
        try (LineReader r = new LineReader(in, 0, maxLine)) {
            while (r.next()) {
                String line = r.lineTooLong() ? "<too long>"
                        : new String(r.buffer(), r.lineStart(), r.lineEnd() - r.lineStart(), StandardCharsets.UTF_8);
                out.add(line + "|" + r.offset());
            }
        }
        return out;
    }

    private static List<String> read(String text, int maxLine) throws IOException {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        return read(data, maxLine, new ByteArrayInputStream(data));
    }

    @Test
    void linesAndOffsets() throws IOException {
        assertEquals(List.of("ab|3", "|4", "cde|8"), read("ab\n\ncde\n", 1024));
        assertEquals(List.of("ab|3", "last|7"), read("ab\nlast", 1024));
        assertEquals(List.of(), read("", 1024));
    }

    @Test
    void growsTheBufferForLongLinesUpToTheLimit() throws IOException {
        String longLine = "x".repeat(100);
        assertEquals(List.of(longLine + "|101", "y|103"), read(longLine + "\ny\n", 128));
    }

    @Test
    void skipsLinesOverTheLimitButCountsTheirBytes() throws IOException {
        String tooLong = "x".repeat(300);
        assertEquals(List.of("a|2", "<too long>|303", "b|305", "<too long>|605"),
                read("a\n" + tooLong + "\nb\n" + tooLong, 64));
    }

    @Test
    void worksWithStreamsThatReturnFewBytesPerRead() throws IOException {
        byte[] data = "one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) { return super.read(b, off, Math.min(len, 2)); }
        };
        assertEquals(List.of("one|4", "two|8", "three|14"), read(data, 16, trickle));
    }
}
