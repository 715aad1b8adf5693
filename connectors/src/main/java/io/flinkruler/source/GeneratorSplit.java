package io.flinkruler.source;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * Targets {@code [firstTarget, endTarget)} of the generator, whose rounds start at {@code startTimeMs};
 * {@code nextRound} is the first round not emitted yet.
 */
public record GeneratorSplit(int firstTarget, int endTarget, long startTimeMs, long nextRound) implements SourceSplit {
    @Override
    public String splitId() { return "targets-" + firstTarget + "-" + endTarget; }
}
