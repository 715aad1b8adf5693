package io.flinkruler.swift;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SwiftFileSystem} against a real Swift proxy with TempAuth (see {@link SwiftServer}). */
@ExtendWith(SwiftServer.class)
class SwiftFileSystemTest {
    private static SwiftServer.Instance swift;
    private static SwiftFileSystem fs;

    @BeforeAll
    static void connect(SwiftServer.Instance server) {
        swift = server;
        fs = SwiftFileSystem.create(server.tempAuthConfig().build());
    }

    @AfterAll
    static void disconnect() throws IOException {
        fs.close();
    }

    @Test
    void writesReadsAndSeeksAnObject() throws IOException {
        Path root = container("readback");
        Path file = new Path(root, "tenant-a/group.yaml");
        byte[] content = "groups:\n  - name: g\n    rules: []\n".getBytes(StandardCharsets.UTF_8);
        write(file, content);

        assertArrayEquals(content, read(file));
        try (FSDataInputStream in = fs.open(file)) {
            in.seek(8);
            assertEquals(8, in.getPos());
            byte[] rest = in.readAllBytes();
            assertArrayEquals(Arrays.copyOfRange(content, 8, content.length), rest);
            assertEquals(content.length, in.getPos());
            in.seek(0);
            assertEquals('g', in.read());
            assertThrows(IOException.class, () -> in.seek(content.length + 1));
        }
    }

    @Test
    void namesWithSpacesAndNonAsciiRoundTrip() throws IOException {
        Path root = container("names");
        Path file = new Path(root, "tenant a/grüße+%20 (1).yaml");
        write(file, "x".getBytes(StandardCharsets.UTF_8));

        FileStatus[] listed = fs.listStatus(new Path(root, "tenant a"));
        assertEquals(1, listed.length);
        assertEquals(file, listed[0].getPath());
        assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), read(listed[0].getPath()));
    }

    @Test
    void listsOneLevelWithNestedDirectories() throws IOException {
        Path root = container("nested");
        write(new Path(root, "tenant-a/g1.yaml"), bytes("one"));
        write(new Path(root, "tenant-a/g2.yaml"), bytes("two!"));
        write(new Path(root, "tenant-a/sub/g3.yaml"), bytes("three"));
        write(new Path(root, "tenant-b/x.yaml"), bytes("x"));
        write(new Path(root, "top.yaml"), bytes("top"));

        assertEquals(List.of("dir swift://nested/tenant-a", "dir swift://nested/tenant-b", "file swift://nested/top.yaml 3"),
                describe(fs.listStatus(root)));
        assertEquals(List.of("file swift://nested/tenant-a/g1.yaml 3", "file swift://nested/tenant-a/g2.yaml 4",
                        "dir swift://nested/tenant-a/sub"),
                describe(fs.listStatus(new Path(root, "tenant-a"))));
        assertEquals(List.of("file swift://nested/tenant-a/sub/g3.yaml 5"),
                describe(fs.listStatus(new Path(root, "tenant-a/sub"))));
        // a file lists as itself, as on Flink's local filesystem
        assertEquals(List.of("file swift://nested/tenant-a/g1.yaml 3"), describe(fs.listStatus(new Path(root, "tenant-a/g1.yaml"))));
        // "tenant" is a prefix of names but no directory
        assertThrows(FileNotFoundException.class, () -> fs.listStatus(new Path(root, "tenant")));
    }

    @Test
    void pagesThroughListingsWithASmallPageSize() throws IOException {
        Path root = container("paging");
        Path dir = new Path(root, "tenant-a");
        List<String> expected = IntStream.range(0, 7).mapToObj(i -> "file swift://paging/tenant-a/g" + i + ".yaml 2")
                .collect(Collectors.toList());
        for (int i = 0; i < 7; i++) write(new Path(dir, "g" + i + ".yaml"), bytes("g" + i));
        // subdirectories with several objects each: one listing entry apiece, also across page boundaries
        for (String sub : List.of("s1", "s2")) {
            for (int i = 0; i < 3; i++) write(new Path(dir, sub + "/r" + i + ".yaml"), bytes("r"));
            expected.add("dir swift://paging/tenant-a/" + sub);
        }

        try (SwiftFileSystem paged = SwiftFileSystem.create(swift.tempAuthConfig().listingPageSize(2).build())) {
            assertEquals(expected, describe(paged.listStatus(dir)));
            assertEquals(List.of("dir swift://paging/tenant-a"), describe(paged.listStatus(root)));
            assertEquals(3, paged.listStatus(new Path(dir, "s1")).length);
            // as many entries as a page holds: the empty second page ends the listing
            write(new Path(root, "exact/a"), bytes("a"));
            write(new Path(root, "exact/b"), bytes("b"));
            assertEquals(List.of("file swift://paging/exact/a 1", "file swift://paging/exact/b 1"),
                    describe(paged.listStatus(new Path(root, "exact"))));
            assertTrue(paged.delete(new Path(root, "exact"), true));

            assertTrue(paged.delete(dir, true));
        }
        assertFalse(fs.exists(dir));
        assertEquals(0, fs.listStatus(root).length);
    }

    @Test
    void statusCarriesLengthEtagAndModificationTime() throws IOException {
        Path root = container("status");
        Path file = new Path(root, "tenant-a/g.yaml");
        byte[] first = bytes("first version");
        long before = System.currentTimeMillis();
        write(file, first);
        long after = System.currentTimeMillis();

        SwiftFileStatus status = assertInstanceOf(SwiftFileStatus.class, fs.getFileStatus(file));
        assertFalse(status.isDir());
        assertEquals(first.length, status.getLen());
        assertEquals(SwiftFileSystem.md5Hex(first), status.etag());
        assertTrue(status.getModificationTime() >= before - 1000 && status.getModificationTime() <= after + 1000,
                "mtime " + status.getModificationTime() + " not within [" + before + ", " + after + "]");
        assertEquals(file, status.getPath());

        // the listing reports the same ETag and the same millisecond
        SwiftFileStatus listed = (SwiftFileStatus) fs.listStatus(new Path(root, "tenant-a"))[0];
        assertEquals(status.etag(), listed.etag());
        assertEquals(status.getModificationTime(), listed.getModificationTime());
        assertEquals(status.getLen(), listed.getLen());

        byte[] second = bytes("second version");
        write(file, second);
        SwiftFileStatus changed = (SwiftFileStatus) fs.getFileStatus(file);
        assertEquals(SwiftFileSystem.md5Hex(second), changed.etag());
        assertNotEquals(status.etag(), changed.etag());
        assertTrue(changed.getModificationTime() >= status.getModificationTime());

        FileStatus directory = fs.getFileStatus(new Path(root, "tenant-a"));
        assertTrue(directory.isDir());
        assertNull(((SwiftFileStatus) directory).etag());
        assertTrue(fs.getFileStatus(root).isDir());
    }

    @Test
    void existsAndDelete() throws IOException {
        Path root = container("deletes");
        Path a = new Path(root, "tenant-a/a.yaml");
        Path b = new Path(root, "tenant-a/deeper/b.yaml");
        write(a, bytes("a"));
        write(b, bytes("b"));

        assertTrue(fs.exists(a));
        assertTrue(fs.exists(new Path(root, "tenant-a")));
        assertTrue(fs.exists(new Path(root, "tenant-a/deeper")));
        assertFalse(fs.exists(new Path(root, "tenant-a/missing.yaml")));
        assertFalse(fs.exists(new Path(root, "tenant-z")));

        IOException notEmpty = assertThrows(IOException.class, () -> fs.delete(new Path(root, "tenant-a"), false));
        assertTrue(notEmpty.getMessage().contains("non-empty"), notEmpty.getMessage());
        assertTrue(fs.exists(a));

        assertTrue(fs.delete(a, false));
        assertFalse(fs.exists(a));
        assertFalse(fs.delete(a, false));

        assertTrue(fs.delete(new Path(root, "tenant-a"), true));
        assertFalse(fs.exists(b));
        assertFalse(fs.exists(new Path(root, "tenant-a")));
        assertFalse(fs.delete(new Path(root, "tenant-a"), true));
        assertTrue(fs.exists(root));
    }

    @Test
    void unknownContainerAndObjectAreNotFound() throws IOException {
        Path missingContainer = new Path("swift://no-such-container/");
        FileNotFoundException list = assertThrows(FileNotFoundException.class, () -> fs.listStatus(missingContainer));
        assertTrue(list.getMessage().contains("no-such-container"), list.getMessage());
        assertThrows(FileNotFoundException.class, () -> fs.getFileStatus(missingContainer));
        assertThrows(FileNotFoundException.class, () -> fs.listStatus(new Path(missingContainer, "tenant-a")));
        assertThrows(FileNotFoundException.class, () -> fs.open(new Path(missingContainer, "tenant-a/g.yaml")));
        assertFalse(fs.exists(new Path(missingContainer, "tenant-a/g.yaml")));
        FSDataOutputStream out = fs.create(new Path(missingContainer, "g.yaml"), WriteMode.OVERWRITE);
        out.write(1);
        FileNotFoundException put = assertThrows(FileNotFoundException.class, out::close);
        assertTrue(put.getMessage().contains("no-such-container"), put.getMessage());

        Path root = container("lookups");
        assertThrows(FileNotFoundException.class, () -> fs.open(new Path(root, "missing.yaml")));
        assertThrows(FileNotFoundException.class, () -> fs.getFileStatus(new Path(root, "missing.yaml")));
        assertEquals(0, fs.listStatus(root).length);
    }

    @Test
    void noOverwriteRefusesExistingObjectsEvenWhenRacing() throws IOException {
        Path root = container("overwrite");
        Path file = new Path(root, "g.yaml");
        FSDataOutputStream first = fs.create(file, WriteMode.NO_OVERWRITE);
        FSDataOutputStream second = fs.create(file, WriteMode.NO_OVERWRITE);
        first.write(bytes("first"));
        second.write(bytes("second"));
        first.close();
        assertThrows(FileAlreadyExistsException.class, second::close);
        assertArrayEquals(bytes("first"), read(file));

        assertThrows(FileAlreadyExistsException.class, () -> fs.create(file, WriteMode.NO_OVERWRITE));
        write(file, bytes("replaced"));
        assertArrayEquals(bytes("replaced"), read(file));
    }

    @Test
    void renameIsRefusedAndObjectStoreTraitsAreReported() throws IOException {
        Path root = container("traits");
        write(new Path(root, "a"), bytes("a"));
        IOException e = assertThrows(IOException.class, () -> fs.rename(new Path(root, "a"), new Path(root, "b")));
        assertTrue(e.getMessage().contains("rename is not supported"));
        assertTrue(fs.exists(new Path(root, "a")));
        assertTrue(fs.isDistributedFS());
        assertEquals(org.apache.flink.core.fs.FileSystemKind.OBJECT_STORE, fs.getKind());
        assertTrue(fs.mkdirs(new Path(root, "any/dir")));
        assertFalse(fs.exists(new Path(root, "any")), "mkdirs below a container creates nothing");
    }

    @Test
    void authenticatesAgainOnceWhenTheTokenExpires() throws Exception {
        try (SwiftFileSystem own = SwiftFileSystem.create(swift.tempAuthConfig().build())) {
            Path root = new Path("swift://reauth/");
            own.mkdirs(root);
            write(own, new Path(root, "g.yaml"), bytes("before"));
            assertEquals(1, own.authentications());

            String outsideToken = swift.newToken();
            assertEquals(204, swift.statusWithToken("HEAD", "/reauth", outsideToken));
            swift.expireAllTokens();
            assertEquals(401, swift.statusWithToken("HEAD", "/reauth", outsideToken), "flush_all must kill tokens");

            assertArrayEquals(bytes("before"), read(own, new Path(root, "g.yaml")));
            assertEquals(2, own.authentications());
            write(own, new Path(root, "g.yaml"), bytes("after"));
            assertArrayEquals(bytes("after"), read(own, new Path(root, "g.yaml")));
            assertEquals(2, own.authentications(), "a valid token is reused");
        }
    }

    @Test
    void wrongKeyFailsWithoutLeakingIt() throws IOException {
        try (SwiftFileSystem wrong = SwiftFileSystem.create(swift.tempAuthConfig().password("not-the-key-s3cr3t").build())) {
            SwiftException e = assertThrows(SwiftException.class, () -> wrong.listStatus(new Path("swift://readback/")));
            assertEquals(401, e.status());
            assertTrue(e.getMessage().contains("test:tester"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
            assertFalse(wrong.toString().contains("s3cr3t"), wrong.toString());
        }
    }

    private static Path container(String name) throws IOException {
        Path root = new Path("swift://" + name + "/");
        assertTrue(fs.mkdirs(root));
        return root;
    }

    private static void write(Path path, byte[] content) throws IOException {
        write(fs, path, content);
    }

    static void write(SwiftFileSystem target, Path path, byte[] content) throws IOException {
        try (FSDataOutputStream out = target.create(path, WriteMode.OVERWRITE)) {
            out.write(content);
            assertEquals(content.length, out.getPos());
        }
    }

    private static byte[] read(Path path) throws IOException {
        return read(fs, path);
    }

    static byte[] read(SwiftFileSystem source, Path path) throws IOException {
        try (FSDataInputStream in = source.open(path)) {
            return in.readAllBytes();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> describe(FileStatus[] statuses) {
        return Arrays.stream(statuses)
                .map(s -> s.isDir() ? "dir " + s.getPath() : "file " + s.getPath() + " " + s.getLen())
                .collect(Collectors.toList());
    }
}
