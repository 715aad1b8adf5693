package io.flinkruler.config;

import java.io.Serializable;

/**
 * GEM's {@code ruler.remote_write}: {@code enabled} decides whether rule groups' own {@code remote_write}
 * targets are honoured (default true: forwarding is what flink-ruler is for). The WAL settings are kept
 * for reference only: Flink checkpoints and the two-phase-commit sink replace the WAL.
 */
public record RulerRemoteWriteSettings(boolean enabled, String walDir, long minWalTimeMs, long maxWalTimeMs,
                                       long walTruncateFrequencyMs) implements Serializable {
}
