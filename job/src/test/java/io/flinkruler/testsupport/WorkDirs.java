package io.flinkruler.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Directories for the servers the harnesses start: under the module's {@code target/testsupport/} (so
 * {@code mvn clean} removes them and CI can keep them as artifacts), else under java.io.tmpdir.
 * The harnesses delete the bulky data on close and keep the logs and configs there.
 */
public final class WorkDirs {
    private WorkDirs() {}

    public static Path create(String prefix) {
        try {
            Path target = Path.of(System.getProperty("user.dir"), "target");
            Path base = Files.isDirectory(target) ? target.resolve("testsupport") : Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(base);
            return Files.createTempDirectory(base, prefix + "-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory", e);
        }
    }

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    deleteIfPresent(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    deleteIfPresent(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("testsupport: could not delete " + dir + ": " + e);
        }
    }

    private static void deleteIfPresent(Path p) throws IOException {
        try {
            Files.delete(p);
        } catch (NoSuchFileException ignored) {
            // a server removed it while we walked
        }
    }
}
