package io.flinkruler.swift;

import org.apache.flink.core.fs.BlockLocation;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemKind;
import org.apache.flink.core.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * OpenStack Swift as a Flink {@link FileSystem}: {@code swift://<container>/<object name>}.
 *
 * <p>Swift has containers of objects with flat names; "directories" are the prefixes up to a '/', as in every
 * object-store filesystem. So {@link #mkdirs} creates nothing below a container (on the container itself it
 * creates the container), a directory exists while an object below it exists, {@link #listStatus} lists one
 * level with the delimiter '/' page by page, and {@link #rename} is not supported. Objects are read whole into
 * memory on {@link #open} and written whole on close of the stream from {@link #create}: this filesystem is
 * made for rule files (kilobytes), not for checkpoints or large data.
 *
 * <p>Obtain it from the Flink configuration ({@link SwiftFileSystemFactory}, keys {@code swift.*}) or directly
 * with {@link #create(SwiftConfig)}.
 */
public final class SwiftFileSystem extends FileSystem implements AutoCloseable {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final SwiftClient client;
    private final URI uri;
    private final String defaultContainer;
    /** Filesystems from the factory share its client; only {@link #create(SwiftConfig)} gives one its own. */
    private final boolean ownsClient;

    SwiftFileSystem(SwiftClient client, URI uri, boolean ownsClient) {
        this.client = client;
        this.uri = uri;
        this.defaultContainer = client.config().containerName();
        this.ownsClient = ownsClient;
    }

    /**
     * A filesystem with its own HTTP connections, rooted at {@code swift://<container_name>/} (or {@code swift:///}
     * when no container_name is set; paths then must name their container). Close it when done.
     */
    public static SwiftFileSystem create(SwiftConfig config) {
        String container = config.containerName();
        URI root = URI.create(SwiftFileSystemFactory.SCHEME + "://" + (container == null ? "" : container) + "/");
        return new SwiftFileSystem(new SwiftClient(config), root, true);
    }

    /** Number of authentications so far (the first request authenticates; a 401 authenticates once more). */
    int authentications() {
        return client.authentications();
    }

    @Override
    public Path getWorkingDirectory() {
        return new Path(uri);
    }

    @Override
    public Path getHomeDirectory() {
        return new Path(uri);
    }

    @Override
    public URI getUri() {
        return uri;
    }

    @Override
    public boolean isDistributedFS() {
        return true;
    }

    /** Not an override: Flink 2.x dropped {@code getKind()} from {@link FileSystem}; kept for callers that ask. */
    public FileSystemKind getKind() {
        return FileSystemKind.OBJECT_STORE;
    }

    @Override
    public FileStatus getFileStatus(Path path) throws IOException {
        SwiftObjectPath target = resolve(path);
        if (target.isContainer()) {
            SwiftResponse response = client.head(target);
            if (response.status() == 404) throw containerNotFound(target);
            if (!response.isSuccess()) throw SwiftClient.failure("HEAD container " + target.container(), response);
            return SwiftFileStatus.directory(target.toFlinkPath());
        }
        SwiftResponse response = client.head(target);
        if (response.isSuccess()) return objectStatus(target, response);
        if (response.status() != 404) throw SwiftClient.failure("HEAD " + target, response);
        if (!client.listPage(target.container(), target.directoryPrefix(), null, null, 1).isEmpty()) {
            return SwiftFileStatus.directory(target.toFlinkPath());
        }
        throw new FileNotFoundException("swift: " + target + " does not exist");
    }

    /**
     * The entries one level below a directory (objects as files, deeper prefixes as directories), in name order;
     * a file lists as itself. A prefix under which no object exists is not found.
     */
    @Override
    public FileStatus[] listStatus(Path path) throws IOException {
        SwiftObjectPath target = resolve(path);
        String prefix = target.directoryPrefix();
        List<FileStatus> statuses = new ArrayList<>();
        boolean directoryMarkerSeen = false;
        int pageSize = client.config().listingPageSize();
        String marker = null;
        while (true) {
            List<SwiftClient.ListingEntry> page = client.listPage(target.container(), prefix, "/", marker, pageSize);
            for (SwiftClient.ListingEntry entry : page) {
                if (entry.isSubdir()) {
                    statuses.add(SwiftFileStatus.directory(target.toFlinkPath(entry.name())));
                } else if (entry.name().equals(prefix)) {
                    directoryMarkerSeen = true; // an empty object named "dir/" that some tools create for mkdir
                } else {
                    statuses.add(SwiftFileStatus.file(target.toFlinkPath(entry.name()), entry.bytes(),
                            entry.lastModifiedMillis(), entry.hash()));
                }
            }
            if (page.size() < pageSize) break;
            marker = page.get(page.size() - 1).name();
        }
        if (statuses.isEmpty() && !directoryMarkerSeen && !target.isContainer()) {
            SwiftResponse head = client.head(target);
            if (head.isSuccess()) return new FileStatus[] {objectStatus(target, head)};
            if (head.status() != 404) throw SwiftClient.failure("HEAD " + target, head);
            throw new FileNotFoundException("swift: " + target + " does not exist");
        }
        return statuses.toArray(new FileStatus[0]);
    }

    @Override
    public FSDataInputStream open(Path path, int bufferSize) throws IOException {
        return open(path);
    }

    /** Reads the whole object now (see {@link SwiftInputStream}) and checks it against its ETag. */
    @Override
    public FSDataInputStream open(Path path) throws IOException {
        SwiftObjectPath target = resolve(path);
        if (target.isContainer()) throw new IOException("swift: " + target + " is a container, not an object");
        SwiftResponse response = client.get(target);
        if (response.status() == 404) {
            throw new FileNotFoundException("swift: " + target + " does not exist (or its container does not)");
        }
        if (!response.isSuccess()) throw SwiftClient.failure("GET " + target, response);
        String etag = response.header("Etag");
        boolean plainObject = response.header("X-Static-Large-Object") == null && response.header("X-Object-Manifest") == null;
        if (plainObject && etag != null && etag.matches("\"?[0-9a-fA-F]{32}\"?")
                && !etag.replace("\"", "").equalsIgnoreCase(md5Hex(response.body()))) {
            throw new IOException("swift: content of " + target + " does not match its ETag (corrupted in transit)");
        }
        return new SwiftInputStream(target.toString(), response.body());
    }

    /**
     * A stream whose content is uploaded with one PUT on close (with its MD5 as ETag, so Swift rejects corrupted
     * uploads). {@link WriteMode#NO_OVERWRITE} fails at once if the object exists, and the PUT carries
     * {@code If-None-Match: *} so that a concurrent writer cannot be overwritten either.
     */
    @Override
    public FSDataOutputStream create(Path path, WriteMode overwriteMode) throws IOException {
        SwiftObjectPath target = resolve(path);
        if (target.isContainer()) throw new IOException("swift: " + target + " is a container; name an object inside it");
        boolean overwrite = overwriteMode == WriteMode.OVERWRITE;
        if (!overwrite) {
            SwiftResponse head = client.head(target);
            if (head.isSuccess()) throw new FileAlreadyExistsException(target.toString());
            if (head.status() != 404) throw SwiftClient.failure("HEAD " + target, head);
        }
        return new SwiftOutputStream(target.toString(), content -> upload(target, content, overwrite));
    }

    private void upload(SwiftObjectPath target, byte[] content, boolean overwrite) throws IOException {
        Map<String, String> headers = overwrite
                ? Map.of("Etag", md5Hex(content), "Content-Type", "application/octet-stream")
                : Map.of("Etag", md5Hex(content), "Content-Type", "application/octet-stream", "If-None-Match", "*");
        SwiftResponse response = client.put(target, content, headers);
        if (response.status() == 404) throw containerNotFound(target);
        if (response.status() == 412) throw new FileAlreadyExistsException(target.toString());
        if (!response.isSuccess()) throw SwiftClient.failure("PUT " + target, response);
    }

    /**
     * Deletes an object, or the objects under a directory prefix (recursive only; a non-recursive delete of a
     * non-empty directory fails). On a container root, recursive delete empties the container and keeps it.
     *
     * @return false when nothing existed at the path
     */
    @Override
    public boolean delete(Path path, boolean recursive) throws IOException {
        SwiftObjectPath target = resolve(path);
        if (!target.isContainer()) {
            SwiftResponse response = client.delete(target);
            if (response.isSuccess()) return true;
            if (response.status() != 404) throw SwiftClient.failure("DELETE " + target, response);
        }
        String prefix = target.directoryPrefix();
        int pageSize = client.config().listingPageSize();
        boolean deletedAny = false;
        String marker = null;
        List<SwiftClient.ListingEntry> page;
        do {
            page = listForDelete(target, prefix, marker, pageSize);
            for (SwiftClient.ListingEntry entry : page) {
                boolean onlyMarker = entry.name().equals(prefix);
                if (!recursive && !onlyMarker) {
                    throw new IOException("swift: " + target + " is a non-empty directory; delete it recursively");
                }
            }
            for (SwiftClient.ListingEntry entry : page) {
                SwiftObjectPath object = new SwiftObjectPath(target.container(), entry.name());
                SwiftResponse response = client.delete(object);
                if (!response.isSuccess() && response.status() != 404) throw SwiftClient.failure("DELETE " + object, response);
                deletedAny = true;
            }
            if (!page.isEmpty()) marker = page.get(page.size() - 1).name();
        } while (page.size() == pageSize);
        return deletedAny || target.isContainer();
    }

    private List<SwiftClient.ListingEntry> listForDelete(SwiftObjectPath target, String prefix, String marker, int pageSize)
            throws IOException {
        try {
            return client.listPage(target.container(), prefix, null, marker, pageSize);
        } catch (FileNotFoundException containerMissing) {
            if (target.isContainer()) throw containerMissing;
            return List.of();
        }
    }

    /**
     * On a container root ({@code swift://rules/}) creates the container if it is missing; elsewhere there is
     * nothing to create (directories exist through the objects below them) and it returns true.
     */
    @Override
    public boolean mkdirs(Path path) throws IOException {
        SwiftObjectPath target = resolve(path);
        if (!target.isContainer()) return true;
        SwiftResponse response = client.put(target, new byte[0], Map.of());
        if (!response.isSuccess()) throw SwiftClient.failure("create container " + target.container(), response);
        return true;
    }

    /** Swift has no rename; copy + delete would not be atomic, which is what callers of rename rely on. */
    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        throw new IOException("swift: rename is not supported (" + src + " -> " + dst + "): Swift objects cannot be renamed atomically");
    }

    @Override
    public BlockLocation[] getFileBlockLocations(FileStatus file, long start, long len) {
        return new BlockLocation[] {new WholeObjectLocation(file.getLen())};
    }

    /** Releases the HTTP connections of a filesystem from {@link #create(SwiftConfig)}; no-op for shared ones. */
    @Override
    public void close() throws IOException {
        if (ownsClient) client.close();
    }

    @Override
    public String toString() {
        return "SwiftFileSystem{" + uri + ", " + client.config() + "}";
    }

    private SwiftObjectPath resolve(Path path) throws IOException {
        Path absolute = path.isAbsolute() ? path : new Path(getWorkingDirectory(), path);
        return SwiftObjectPath.of(absolute, defaultContainer);
    }

    private static FileNotFoundException containerNotFound(SwiftObjectPath target) {
        return new FileNotFoundException("swift: container '" + target.container() + "' does not exist");
    }

    private static SwiftFileStatus objectStatus(SwiftObjectPath target, SwiftResponse head) {
        long length = parseLong(head.header("Content-Length"));
        return SwiftFileStatus.file(target.toFlinkPath(), length, modificationMillis(head), head.header("Etag"));
    }

    /**
     * X-Timestamp (seconds with 5 decimals) is the PUT time that listings show as last_modified; Last-Modified
     * is the same instant rounded UP to whole seconds. Use X-Timestamp so that HEAD and listing agree.
     */
    static long modificationMillis(SwiftResponse head) {
        String timestamp = head.header("X-Timestamp");
        if (timestamp != null) {
            try {
                return new BigDecimal(timestamp.trim()).movePointRight(3).longValue();
            } catch (NumberFormatException ignored) {
                // fall back to Last-Modified
            }
        }
        String lastModified = head.header("Last-Modified");
        if (lastModified == null) return 0;
        try {
            return ZonedDateTime.parse(lastModified, HTTP_DATE).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String md5Hex(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", e);
        }
    }

    /** Object stores have no hosts to schedule near: one block covering the object, on "localhost". */
    private record WholeObjectLocation(long length) implements BlockLocation {
        @Override
        public String[] getHosts() {
            return new String[] {"localhost"};
        }

        @Override
        public long getOffset() {
            return 0;
        }

        @Override
        public long getLength() {
            return length;
        }

        @Override
        public int compareTo(BlockLocation other) {
            return Long.compare(getOffset(), other.getOffset());
        }
    }
}
