package io.flinkruler.openmetrics;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads {@code \n}-terminated lines of bytes from a stream without decoding or copying them: each
 * line is a window {@code [lineStart(), lineEnd())} of {@link #buffer()}, valid until the next call.
 * {@link #offset()} is the byte position just after the last line returned, which is what a
 * checkpoint stores to resume reading. Lines longer than the limit are skipped whole and reported
 * as {@link #lineTooLong()} so one broken line cannot exhaust memory.
 */
public final class LineReader implements Closeable {
    private final InputStream in;
    private final int maxLineLength;
    private byte[] buf;
    private int dataStart;
    private int dataEnd;
    private int scanFrom;
    private boolean endOfStream;
    private boolean skippingLongLine;
    private long offset;

    private int lineStart;
    private int lineEnd;
    private boolean lineTooLong;

    /**
     * @param in positioned at {@code startOffset}
     * @param startOffset only used to report {@link #offset()}
     */
    public LineReader(InputStream in, long startOffset, int maxLineLength) {
        this.in = in;
        this.offset = startOffset;
        this.maxLineLength = maxLineLength;
        this.buf = new byte[Math.min(64 * 1024, Math.max(16, maxLineLength))];
    }

    /** Advances to the next line; false at the end of the stream. */
    public boolean next() throws IOException {
        while (true) {
            for (int i = scanFrom; i < dataEnd; i++) {
                if (buf[i] == '\n') {
                    return emit(i, i + 1);
                }
            }
            scanFrom = dataEnd;
            if (endOfStream) {
                if (dataStart == dataEnd && !skippingLongLine) return false;
                // A last line without a line feed.
                return emit(dataEnd, dataEnd);
            }
            fill();
        }
    }

    private boolean emit(int end, int next) {
        lineTooLong = skippingLongLine;
        skippingLongLine = false;
        lineStart = lineTooLong ? end : dataStart;
        lineEnd = end;
        offset += next - dataStart;
        dataStart = next;
        scanFrom = next;
        return true;
    }

    private void fill() throws IOException {
        if (dataStart > 0) {
            System.arraycopy(buf, dataStart, buf, 0, dataEnd - dataStart);
            dataEnd -= dataStart;
            scanFrom -= dataStart;
            dataStart = 0;
        }
        if (dataEnd == buf.length) {
            if (buf.length < maxLineLength) {
                byte[] bigger = new byte[(int) Math.min(maxLineLength, 2L * buf.length)];
                System.arraycopy(buf, 0, bigger, 0, dataEnd);
                buf = bigger;
            } else {
                // Drop what we have of the over-long line but keep counting its bytes for the offset.
                offset += dataEnd;
                dataEnd = 0;
                scanFrom = 0;
                skippingLongLine = true;
            }
        }
        int n = in.read(buf, dataEnd, buf.length - dataEnd);
        if (n < 0) endOfStream = true;
        else dataEnd += n;
    }

    public byte[] buffer() { return buf; }

    public int lineStart() { return lineStart; }

    public int lineEnd() { return lineEnd; }

    /** The current line exceeded the limit and was skipped; its content is not available. */
    public boolean lineTooLong() { return lineTooLong; }

    /** Byte position after the current line. */
    public long offset() { return offset; }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
