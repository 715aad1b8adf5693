package io.flinkruler.config;

import java.io.Serializable;

/**
 * The {@code source} block: {@code type} selects the active source; each source's block is kept when
 * written (null otherwise), and the active one is always present.
 */
public record SourceConfig(SourceType type, OpenMetricsSourceConfig openmetrics, GeneratorSourceConfig generator,
                           KafkaSourceConfig kafka) implements Serializable {
    public SourceConfig(SourceType type, OpenMetricsSourceConfig openmetrics, GeneratorSourceConfig generator) {
        this(type, openmetrics, generator, null);
    }
}
