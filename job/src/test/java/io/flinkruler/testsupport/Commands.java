package io.flinkruler.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Running external commands with a deadline, and looking at processes and their logs. */
public final class Commands {
    private Commands() {}

    /**
     * Runs {@code command} to completion, stdout and stderr into {@code outputFile} (a file, not a pipe: scripts that
     * leave servers running in the background must not keep our read end open). On timeout the command and its
     * descendants are killed and an exception carries the output so far.
     */
    public static CliResult run(Duration timeout, Path outputFile, List<String> command) {
        try {
            Files.createDirectories(outputFile.toAbsolutePath().getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(outputFile.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeout + ": " + String.join(" ", command)
                        + "\noutput so far:\n" + tail(outputFile, 40));
            }
            return new CliResult(p.exitValue(), Files.readString(outputFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** The last {@code lines} lines of a text file, or a note that it does not exist. */
    public static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) return "(no file " + file + ")";
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** The executable {@code name} in a PATH directory. */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /**
     * Whether the process exists and is not a zombie. A server started by a script is re-parented when the script
     * exits, and some container init processes never reap it, so a killed one stays visible as a zombie.
     */
    public static boolean isRunning(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (Files.exists(stat)) {
            try {
                String s = Files.readString(stat);
                int close = s.lastIndexOf(')');
                return close < 0 || close + 2 >= s.length() || s.charAt(close + 2) != 'Z';
            } catch (IOException e) {
                return false;   // it went away while we looked
            }
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Kills a process tree: SIGTERM, then SIGKILL after {@code grace}. */
    public static void stop(Process process, Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }
}
