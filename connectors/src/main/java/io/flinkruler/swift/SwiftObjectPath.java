package io.flinkruler.swift;

import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A container and an object name ({@code key}) inside it; an empty key is the container itself. Keys never start
 * or end with '/': "directories" are the prefixes {@code key + "/"}.
 */
record SwiftObjectPath(String container, String key) {
    private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    /**
     * {@code swift://<container>/<key>}; a path without authority ({@code swift:///key}) uses
     * {@code defaultContainer}.
     */
    static SwiftObjectPath of(Path path, String defaultContainer) throws IOException {
        URI uri = path.toUri();
        if (uri.getScheme() != null && !SwiftFileSystemFactory.SCHEME.equals(uri.getScheme())) {
            throw new IOException("swift: not a swift:// path: " + path);
        }
        String container = uri.getAuthority();
        if (container == null || container.isEmpty()) container = defaultContainer;
        if (container == null || container.isEmpty()) {
            throw new IOException("swift: " + path + " names no container (swift://<container>/<path>) and no container_name is configured");
        }
        String key = uri.getPath() == null ? "" : uri.getPath();
        while (key.startsWith("/")) key = key.substring(1);
        while (key.endsWith("/")) key = key.substring(0, key.length() - 1);
        return new SwiftObjectPath(container, key);
    }

    boolean isContainer() {
        return key.isEmpty();
    }

    /** The listing prefix of the "directory" this path names: {@code key/}, or "" for the container. */
    String directoryPrefix() {
        return key.isEmpty() ? "" : key + "/";
    }

    /** The Flink path of an object name in this container. */
    Path toFlinkPath(String objectName) {
        String name = objectName.endsWith("/") ? objectName.substring(0, objectName.length() - 1) : objectName;
        return new Path(SwiftFileSystemFactory.SCHEME, container, "/" + name);
    }

    Path toFlinkPath() {
        return toFlinkPath(key);
    }

    /** {@code container[/key]} percent-encoded for a URL path; '/' inside the key stays a separator. */
    String encoded() {
        return key.isEmpty() ? encodeSegment(container) : encodeSegment(container) + "/" + encodeKey(key);
    }

    private static String encodeKey(String key) {
        String[] segments = key.split("/", -1);
        for (int i = 0; i < segments.length; i++) segments[i] = encodeSegment(segments[i]);
        return String.join("/", segments);
    }

    static String encodeSegment(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 128 && UNRESERVED.indexOf(c) >= 0) out.append(c);
            else out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
        }
        return out.toString();
    }

    /** Query values: the same percent-encoding ('/' too), never '+' for a space. */
    static String encodeQueryValue(String s) {
        return encodeSegment(s);
    }

    @Override
    public String toString() {
        return "swift://" + container + "/" + key;
    }
}
