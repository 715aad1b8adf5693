package io.flinkruler.swift;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;

import static io.flinkruler.swift.SwiftFileSystemTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code FileSystem.get(swift://...)} through META-INF/services and the {@code swift.*} Flink keys. */
@ExtendWith(SwiftServer.class)
class SwiftFileSystemFactoryTest {
    private static SwiftServer.Instance swift;

    @BeforeAll
    static void seed(SwiftServer.Instance server) throws IOException {
        swift = server;
        try (SwiftFileSystem admin = SwiftFileSystem.create(server.tempAuthConfig().build())) {
            admin.mkdirs(new Path("swift://factory/"));
            SwiftFileSystemTest.write(admin, new Path("swift://factory/tenant-a/g1.yaml"), bytes("g1"));
            SwiftFileSystemTest.write(admin, new Path("swift://factory/tenant-a/g2.yaml"), bytes("g2"));
        }
    }

    @AfterEach
    void resetFlinkFileSystems() {
        FileSystem.initialize(new Configuration(), null);
    }

    @Test
    void flinkConfigurationKeysReachTheFileSystem() throws IOException {
        Configuration conf = new Configuration();
        conf.setString("swift.auth-url", swift.authUrl());
        conf.setString("swift.auth-version", "1");
        conf.setString("swift.username", SwiftServer.USER);
        conf.setString("swift.password", SwiftServer.KEY);
        conf.setString("swift.listing_page_size", "1");
        FileSystem.initialize(conf, null);

        FileSystem fs = FileSystem.get(URI.create("swift://factory/tenant-a"));
        assertInstanceOf(SwiftFileSystem.class, fs);
        assertEquals(URI.create("swift://factory/"), fs.getUri());
        FileStatus[] listed = fs.listStatus(new Path("swift://factory/tenant-a"));
        assertEquals(2, listed.length, "two pages of one entry each");
        assertEquals("g2", new String(fs.open(listed[1].getPath()).readAllBytes()));

        Path viaPath = new Path("swift://factory/tenant-a/g1.yaml");
        assertSame(fs, viaPath.getFileSystem(), "Flink caches one filesystem per container");
        assertArrayEquals(bytes("g1"), viaPath.getFileSystem().open(viaPath).readAllBytes());
    }

    @Test
    void missingOrBrokenConfigurationIsReportedOnFirstUse() {
        FileSystem.initialize(new Configuration(), null);
        IOException missing = assertThrows(IOException.class, () -> FileSystem.get(URI.create("swift://factory/x")));
        assertTrue(messages(missing).contains("no swift.* keys"), messages(missing));

        Configuration typo = new Configuration();
        typo.setString("swift.auth-url", swift.authUrl());
        typo.setString("swift.usernme", SwiftServer.USER);
        FileSystem.initialize(typo, null);
        IOException broken = assertThrows(IOException.class, () -> FileSystem.get(URI.create("swift://factory/x")));
        assertTrue(messages(broken).contains("usernme"), messages(broken));
    }

    private static String messages(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) s.append(c.getMessage()).append(" | ");
        return s.toString();
    }
}
