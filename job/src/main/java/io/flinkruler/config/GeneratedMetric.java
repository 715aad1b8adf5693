package io.flinkruler.config;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One metric the generator source produces: a {@code counter} (monotonically increasing, with a reset now
 * and then) or a {@code gauge} (a bounded random walk), with constant extra {@code labels}.
 */
public record GeneratedMetric(String name, Kind kind, Map<String, String> labels) implements Serializable {
    public enum Kind { COUNTER, GAUGE }

    public GeneratedMetric {
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    }
}
