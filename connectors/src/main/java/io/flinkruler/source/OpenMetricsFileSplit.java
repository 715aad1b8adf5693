package io.flinkruler.source;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One file to read, and how far it has been read: {@code offset} is the byte position of the next
 * line, {@code linesRead} the number of lines before it (so error messages keep true line numbers
 * after a restore).
 */
public record OpenMetricsFileSplit(String path, long offset, long linesRead) implements SourceSplit {
    public static OpenMetricsFileSplit fromStart(String path) {
        return new OpenMetricsFileSplit(path, 0L, 0L);
    }

    @Override
    public String splitId() { return path; }
}
