package io.flinkruler.config;

import java.io.Serializable;
import java.util.List;

/**
 * The {@code job} block: Flink-side settings. {@code shards} is the number of key groups series are
 * hashed into (the upper bound of useful parallelism); {@code checkpointIntervalMs} 0 turns
 * checkpointing off; {@code outOfOrdernessMs} is the watermark's bounded out-of-orderness;
 * {@code lookbackDeltaMs} is PromQL's lookback delta. {@code stateBackend} is {@code hashmap},
 * {@code rocksdb}, or empty (Flink's configuration decides: a cluster's, else hashmap);
 * {@code checkpointDir} a Flink file system URI or absolute path, or empty (Flink's configuration decides).
 */
public record JobSettings(int parallelism, int shards, long checkpointIntervalMs, long outOfOrdernessMs,
                          long lookbackDeltaMs, String stateBackend, String checkpointDir) implements Serializable {
    public static final int DEFAULT_PARALLELISM = 1;
    public static final int DEFAULT_SHARDS = 128;
    public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 10_000;
    public static final long DEFAULT_OUT_OF_ORDERNESS_MS = 0;
    public static final long DEFAULT_LOOKBACK_DELTA_MS = 300_000;
    public static final List<String> STATE_BACKENDS = List.of("hashmap", "rocksdb");

    public JobSettings(int parallelism, int shards, long checkpointIntervalMs, long outOfOrdernessMs, long lookbackDeltaMs) {
        this(parallelism, shards, checkpointIntervalMs, outOfOrdernessMs, lookbackDeltaMs, "", "");
    }

    public static JobSettings defaults() {
        return new JobSettings(DEFAULT_PARALLELISM, DEFAULT_SHARDS, DEFAULT_CHECKPOINT_INTERVAL_MS,
                DEFAULT_OUT_OF_ORDERNESS_MS, DEFAULT_LOOKBACK_DELTA_MS);
    }
}
