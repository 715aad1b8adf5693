package io.flinkruler.swift;

import org.apache.flink.core.fs.FSDataOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Collects the bytes in memory and uploads them with one PUT on {@link #close()}: Swift objects are written
 * whole, so nothing is visible before close and {@link #flush()}/{@link #sync()} cannot make anything durable
 * earlier. Single PUTs are limited to Swift's max_file_size (5 GiB by default); rule files are far below.
 */
final class SwiftOutputStream extends FSDataOutputStream {
    /** Uploads the finished content. */
    interface Uploader {
        void upload(byte[] content) throws IOException;
    }

    private final String name;
    private final Uploader uploader;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private boolean closed;

    SwiftOutputStream(String name, Uploader uploader) {
        this.name = name;
        this.uploader = uploader;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        buffer.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        buffer.write(b, off, len);
    }

    @Override
    public long getPos() {
        return buffer.size();
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
    }

    @Override
    public void sync() throws IOException {
        ensureOpen();
    }

    /** Uploads once; a failed upload is reported and the stream stays closed (write again through a new create). */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        uploader.upload(buffer.toByteArray());
    }

    private void ensureOpen() throws IOException {
        if (closed) throw new IOException("swift: output stream of " + name + " is closed");
    }
}
