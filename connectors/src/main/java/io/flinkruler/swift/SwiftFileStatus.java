package io.flinkruler.swift;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;

/**
 * An object ("file") or a common prefix ("directory") of a Swift container. Objects carry Swift's ETag (the MD5
 * of the content for ordinary objects) so that a reader can skip objects it has already seen unchanged.
 */
public final class SwiftFileStatus implements FileStatus {
    /** What object stores report as block size: only used by splitters, and rule files are never split. */
    private static final long BLOCK_SIZE = 64L * 1024 * 1024;

    private final Path path;
    private final long length;
    private final long modificationTime;
    private final boolean directory;
    private final String etag;

    private SwiftFileStatus(Path path, long length, long modificationTime, boolean directory, String etag) {
        this.path = path;
        this.length = length;
        this.modificationTime = modificationTime;
        this.directory = directory;
        this.etag = etag;
    }

    static SwiftFileStatus file(Path path, long length, long modificationTimeMillis, String etag) {
        return new SwiftFileStatus(path, length, modificationTimeMillis, false, unquote(etag));
    }

    static SwiftFileStatus directory(Path path) {
        return new SwiftFileStatus(path, 0, 0, true, null);
    }

    /**
     * Swift's ETag without quotes: the MD5 hex of the content for ordinary objects (from a listing's {@code hash}
     * or a HEAD's {@code Etag}); for large-object manifests a hash of the segments' ETags. Null for directories.
     */
    public String etag() {
        return etag;
    }

    @Override
    public long getLen() {
        return length;
    }

    @Override
    public long getBlockSize() {
        return directory ? 0 : BLOCK_SIZE;
    }

    @Override
    public short getReplication() {
        return 1;
    }

    /** Milliseconds since the epoch of the object's last PUT; 0 for directories. */
    @Override
    public long getModificationTime() {
        return modificationTime;
    }

    @Override
    public long getAccessTime() {
        return 0;
    }

    @Override
    public boolean isDir() {
        return directory;
    }

    @Override
    public Path getPath() {
        return path;
    }

    private static String unquote(String etag) {
        if (etag == null) return null;
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    @Override
    public String toString() {
        return directory ? "SwiftFileStatus{dir " + path + "}"
                : "SwiftFileStatus{" + path + ", length=" + length + ", mtime=" + modificationTime + ", etag=" + etag + "}";
    }
}
