package io.flinkruler.testsupport;

/** Exit code and combined stdout/stderr of a finished command. */
public record CliResult(int exitCode, String output) {
    public boolean succeeded() { return exitCode == 0; }
}
