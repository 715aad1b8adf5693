package io.flinkruler.promqltest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Prometheus's own engine scripts (kept in ../shared/promqltest, not in the repo) must all pass or be native-histogram skips. */
class SharedPromqlScriptsTest {
    private static Path scriptsDir() {
        for (String candidate : List.of("../../shared/promqltest", "../shared/promqltest")) {
            Path p = Path.of(candidate);
            if (Files.isDirectory(p)) return p;
        }
        return null;
    }

    @Test
    void prometheusScriptsPass() throws IOException {
        Path dir = scriptsDir();
        assumeTrue(dir != null, "../shared/promqltest not present");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
        }
        assumeTrue(!files.isEmpty(), "no .test scripts");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = PromqlTestRunner.run(files, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        for (String line : out.split("\n")) {
            if (line.startsWith("  SKIP")) {
                assertEquals(true, line.contains("native histogram"), "skip without a native-histogram reason: " + line);
            }
        }
    }
}
