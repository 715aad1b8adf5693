package io.flinkruler.swift;

import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwiftObjectPathTest {
    @Test
    void splitsContainerAndKey() throws IOException {
        SwiftObjectPath p = SwiftObjectPath.of(new Path("swift://rules/tenant-a/g1.yaml"), null);
        assertEquals("rules", p.container());
        assertEquals("tenant-a/g1.yaml", p.key());
        assertEquals("tenant-a/g1.yaml/", p.directoryPrefix());
        assertEquals(new Path("swift://rules/tenant-a/g1.yaml"), p.toFlinkPath());

        SwiftObjectPath root = SwiftObjectPath.of(new Path("swift://rules/"), null);
        assertTrue(root.isContainer());
        assertEquals("", root.directoryPrefix());
        assertEquals(new Path("swift://rules/tenant-a"), root.toFlinkPath("tenant-a/"));
    }

    @Test
    void pathsWithoutContainerUseTheConfiguredOne() throws IOException {
        SwiftObjectPath p = SwiftObjectPath.of(new Path("swift:///tenant-a"), "rules");
        assertEquals("rules", p.container());
        assertEquals("tenant-a", p.key());
        IOException none = assertThrows(IOException.class, () -> SwiftObjectPath.of(new Path("swift:///tenant-a"), null));
        assertTrue(none.getMessage().contains("container_name"), none.getMessage());
        assertThrows(IOException.class, () -> SwiftObjectPath.of(new Path("s3://rules/x"), null));
    }

    @Test
    void percentEncodesEverythingButUnreservedCharactersAndSeparators() {
        assertEquals("rules/tenant%20a/gr%C3%BC%C3%9Fe%2B%2520.yaml",
                new SwiftObjectPath("rules", "tenant a/grüße+%20.yaml").encoded());
        assertEquals("my%20rules", new SwiftObjectPath("my rules", "").encoded());
        assertEquals("tenant-a%2F", SwiftObjectPath.encodeQueryValue("tenant-a/"));
    }
}
