package io.flinkruler.config;

import java.io.Serializable;

/**
 * The {@code job} block: Flink-side settings. {@code shards} is the number of key groups series are
 * hashed into (the upper bound of useful parallelism); {@code checkpointIntervalMs} 0 turns
 * checkpointing off; {@code outOfOrdernessMs} is the watermark's bounded out-of-orderness;
 * {@code lookbackDeltaMs} is PromQL's lookback delta.
 */
public record JobSettings(int parallelism, int shards, long checkpointIntervalMs, long outOfOrdernessMs,
                          long lookbackDeltaMs) implements Serializable {
    public static final int DEFAULT_PARALLELISM = 1;
    public static final int DEFAULT_SHARDS = 128;
    public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 10_000;
    public static final long DEFAULT_OUT_OF_ORDERNESS_MS = 0;
    public static final long DEFAULT_LOOKBACK_DELTA_MS = 300_000;

    public static JobSettings defaults() {
        return new JobSettings(DEFAULT_PARALLELISM, DEFAULT_SHARDS, DEFAULT_CHECKPOINT_INTERVAL_MS,
                DEFAULT_OUT_OF_ORDERNESS_MS, DEFAULT_LOOKBACK_DELTA_MS);
    }
}
