package io.flinkruler.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Debian's {@code promtool} (2.42), from the prometheus package. */
public final class Promtool {
    private Promtool() {}

    /**
     * {@code promtool tsdb create-blocks-from openmetrics input tsdbDir}: TSDB blocks (2 h each) for the samples in
     * {@code input}. See {@link PrometheusOracle} for what the input must look like.
     */
    public static void createBlocksFromOpenMetrics(Path input, Path tsdbDir) {
        Path promtool = Commands.onPath("promtool").orElseThrow(() -> new IllegalStateException(
                "promtool is not on PATH: run scripts/install-test-deps.sh (installs Debian's prometheus and promtool)"));
        Path output = tsdbDir.toAbsolutePath().getParent().resolve("promtool.log");
        CliResult r = Commands.run(Duration.ofMinutes(5), output, List.of(promtool.toString(), "tsdb", "create-blocks-from",
                "openmetrics", input.toString(), tsdbDir.toString()));
        if (!r.succeeded()) {
            throw new IllegalStateException("promtool create-blocks-from openmetrics " + input + " failed (exit " + r.exitCode()
                    + "):\n" + r.output());
        }
    }
}
