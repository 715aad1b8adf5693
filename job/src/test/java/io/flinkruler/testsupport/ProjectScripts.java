package io.flinkruler.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The repository's {@code scripts/} directory, found upwards from the working directory (Surefire runs in the module). */
public final class ProjectScripts {
    private ProjectScripts() {}

    public static Path dir() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path scripts = p.resolve("scripts");
            if (Files.isRegularFile(scripts.resolve("install-test-deps.sh")) && Files.isRegularFile(p.resolve("pom.xml"))) return scripts;
        }
        throw new IllegalStateException("no scripts/install-test-deps.sh above " + System.getProperty("user.dir")
                + ": run the tests from the flink-ruler repository");
    }

    /** A command line that runs {@code scripts/<name>} with bash (no executable bit needed). */
    public static List<String> command(String name, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add(dir().resolve(name).toString());
        cmd.addAll(List.of(args));
        return cmd;
    }
}
