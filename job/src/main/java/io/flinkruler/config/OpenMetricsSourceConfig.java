package io.flinkruler.config;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * {@code source.openmetrics}: OpenMetrics text with timestamps, as {@code promtool tsdb create-blocks-from
 * openmetrics} reads it. {@code path} (absolute) is a file, which makes the job bounded, or a directory whose
 * files are read and which is watched for new files every {@code monitorIntervalMs} (0: read once).
 * All samples belong to {@code tenant}.
 */
public record OpenMetricsSourceConfig(String path, String tenant, long monitorIntervalMs) implements Serializable {
    public static final long DEFAULT_MONITOR_INTERVAL_MS = 10_000;

    public Path resolvedPath() { return Path.of(path); }
}
