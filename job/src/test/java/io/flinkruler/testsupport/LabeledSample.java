package io.flinkruler.testsupport;

import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;

/** A sample together with its series' labels: test input data and expected rule output. */
public record LabeledSample(Labels labels, long timestampMs, double value) {
    public boolean isStaleMarker() { return StaleMarker.is(value); }

    @Override
    public String toString() {
        return labels + " " + (isStaleMarker() ? "stale" : Double.toString(value)) + " @" + timestampMs;
    }
}
