package io.flinkruler.swift;

import org.apache.flink.core.fs.FSDataInputStream;

import java.io.EOFException;
import java.io.IOException;
import java.util.Objects;

/**
 * The whole object, fetched with one GET when the stream was opened and held in memory: rule files are a few
 * kilobytes, so seeking is an index move and the object cannot change under a half-read stream. Not meant for
 * large objects.
 */
final class SwiftInputStream extends FSDataInputStream {
    private final String name;
    private final byte[] content;
    private int position;
    private boolean closed;

    SwiftInputStream(String name, byte[] content) {
        this.name = name;
        this.content = content;
    }

    @Override
    public void seek(long desired) throws IOException {
        ensureOpen();
        if (desired < 0) throw new EOFException("swift: cannot seek to negative position " + desired + " in " + name);
        if (desired > content.length) {
            throw new EOFException("swift: cannot seek to " + desired + " beyond the end (" + content.length + ") of " + name);
        }
        position = (int) desired;
    }

    @Override
    public long getPos() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public int read() throws IOException {
        ensureOpen();
        return position < content.length ? content[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        ensureOpen();
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) return 0;
        if (position >= content.length) return -1;
        int n = Math.min(length, content.length - position);
        System.arraycopy(content, position, buffer, offset, n);
        position += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        ensureOpen();
        if (n <= 0) return 0;
        int skipped = (int) Math.min(n, content.length - position);
        position += skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return content.length - position;
    }

    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() throws IOException {
        if (closed) throw new IOException("swift: stream of " + name + " is closed");
    }
}
