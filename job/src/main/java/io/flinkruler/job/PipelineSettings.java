package io.flinkruler.job;

import io.flinkruler.evaluation.EvaluationDefaults;
import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rulesource.RuleGroupChange;
import io.flinkruler.rulesource.RuleSource;
import io.flinkruler.rulesource.RuleStorageLocation;
import io.flinkruler.source.Sample;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.connector.source.Source;

/**
 * Everything the job graph needs, resolved from the config file: plain values, so that the graph
 * can be built (and tested) without the YAML layer.
 */
public record PipelineSettings(
        int parallelism,
        int shards,
        int maxBatchSize,
        long checkpointIntervalMs,
        long outOfOrdernessMs,
        EvaluationDefaults evaluationDefaults,
        RemoteWriteConfig tenantRemoteWrite,
        int maxSamplesPerSend,
        RuleStorageLocation ruleStorage,
        long pollIntervalMs,
        SampleSourceFactory samples,
        FailureInjection failureInjection,
        StateSettings state,
        Backfill backfill,
        Delivery delivery) implements Serializable {

    /** The full record without delivery settings (the sink's defaults). */
    public PipelineSettings(int parallelism, int shards, int maxBatchSize, long checkpointIntervalMs, long outOfOrdernessMs,
                            EvaluationDefaults evaluationDefaults, RemoteWriteConfig tenantRemoteWrite, int maxSamplesPerSend,
                            RuleStorageLocation ruleStorage, long pollIntervalMs, SampleSourceFactory samples,
                            FailureInjection failureInjection, StateSettings state, Backfill backfill) {
        this(parallelism, shards, maxBatchSize, checkpointIntervalMs, outOfOrdernessMs, evaluationDefaults, tenantRemoteWrite,
                maxSamplesPerSend, ruleStorage, pollIntervalMs, samples, failureInjection, state, backfill, Delivery.SINK_DEFAULTS);
    }

    /**
     * GEM's {@code ruler.remote_write} WAL settings, as the sink reads them (0: the sink's default):
     * pending requests older than {@code maxWalTimeMs} are dropped and counted, none younger than
     * {@code minWalTimeMs} is dropped to make room, and pending ages are checked every
     * {@code walTruncateFrequencyMs}. {@code groupRemoteWriteEnabled} false ({@code ruler.remote_write.enabled:
     * false}) ignores rule groups' own remote_write: their results go to the tenant's endpoint.
     */
    public record Delivery(long maxWalTimeMs, long minWalTimeMs, long walTruncateFrequencyMs, boolean groupRemoteWriteEnabled)
            implements Serializable {
        public static final Delivery SINK_DEFAULTS = new Delivery(0, 0, 0, true);

        public Delivery(long maxWalTimeMs, long minWalTimeMs, long walTruncateFrequencyMs) {
            this(maxWalTimeMs, minWalTimeMs, walTruncateFrequencyMs, true);
        }
    }

    public PipelineSettings withDelivery(Delivery newDelivery) {
        return new PipelineSettings(parallelism, shards, maxBatchSize, checkpointIntervalMs, outOfOrdernessMs, evaluationDefaults,
                tenantRemoteWrite, maxSamplesPerSend, ruleStorage, pollIntervalMs, samples, failureInjection, state, backfill, newDelivery);
    }

    /** Without state settings (Flink's configuration decides) and not a backfill. */
    public PipelineSettings(int parallelism, int shards, int maxBatchSize, long checkpointIntervalMs, long outOfOrdernessMs,
                            EvaluationDefaults evaluationDefaults, RemoteWriteConfig tenantRemoteWrite, int maxSamplesPerSend,
                            RuleStorageLocation ruleStorage, long pollIntervalMs, SampleSourceFactory samples, FailureInjection failureInjection) {
        this(parallelism, shards, maxBatchSize, checkpointIntervalMs, outOfOrdernessMs, evaluationDefaults, tenantRemoteWrite,
                maxSamplesPerSend, ruleStorage, pollIntervalMs, samples, failureInjection, StateSettings.FLINK_DEFAULTS, null);
    }

    /**
     * Where keyed state lives: {@code backend} {@code hashmap} or {@code rocksdb}, {@code checkpointDir} a Flink
     * file system URI; empty strings leave the choice to Flink's configuration (a cluster's, else heap and memory).
     */
    public record StateSettings(String backend, String checkpointDir) implements Serializable {
        public static final StateSettings FLINK_DEFAULTS = new StateSettings("", "");
    }

    /**
     * A backfill: only evaluation timestamps in {@code [fromMs, toMs]} are evaluated, over a bounded replay of
     * the input. {@code outputLocation} (a Flink file system URI) set: results go into an OpenMetrics file there
     * instead of the remote-write endpoints.
     */
    public record Backfill(long fromMs, long toMs, String outputLocation) implements Serializable {
        public Backfill {
            if (toMs < fromMs) throw new IllegalArgumentException("backfill: --to is before --from");
        }

        public boolean evaluates(long timestampMs) { return timestampMs >= fromMs && timestampMs <= toMs; }
    }

    /**
     * Fails the job {@code times} times, for failover tests: failure k (from 0) at the first recorded batch at
     * or after {@code afterTimestampMs + k * everyMs} (the first one only after a completed checkpoint),
     * unless its marker file {@code markerFile.k} exists (it is created when failing).
     */
    public record FailureInjection(String markerFile, long afterTimestampMs, int times, long everyMs) implements Serializable {
        public FailureInjection(String markerFile, long afterTimestampMs) { this(markerFile, afterTimestampMs, 1, 0); }

        public java.nio.file.Path marker(int k) { return java.nio.file.Path.of(markerFile + "." + k); }
    }

    public PipelineSettings withFailureInjection(FailureInjection injection) {
        return new PipelineSettings(parallelism, shards, maxBatchSize, checkpointIntervalMs, outOfOrdernessMs, evaluationDefaults,
                tenantRemoteWrite, maxSamplesPerSend, ruleStorage, pollIntervalMs, samples, injection, state, backfill, delivery);
    }

    public PipelineSettings withState(StateSettings newState) {
        return new PipelineSettings(parallelism, shards, maxBatchSize, checkpointIntervalMs, outOfOrdernessMs, evaluationDefaults,
                tenantRemoteWrite, maxSamplesPerSend, ruleStorage, pollIntervalMs, samples, failureInjection, newState, backfill, delivery);
    }

    /**
     * This job as a backfill over {@code [fromMs, toMs]}: the sample source replays what those evaluations need
     * ({@link SampleSourceFactory#forBackfill}, {@code lookbehindMs} before {@code fromMs}) and ends.
     */
    public PipelineSettings asBackfill(Backfill window, long lookbehindMs) {
        SampleSourceFactory replay = samples.forBackfill(window.fromMs(), window.toMs(), lookbehindMs);
        if (!replay.bounded()) throw new IllegalStateException(replay.describe() + " is not bounded: it cannot be backfilled from");
        return new PipelineSettings(parallelism, shards, maxBatchSize, checkpointIntervalMs, outOfOrdernessMs, evaluationDefaults,
                tenantRemoteWrite, maxSamplesPerSend, ruleStorage, pollIntervalMs, replay, failureInjection, state, window, delivery);
    }

    /** Builds the sample source; bounded sources make the whole job bounded. */
    public interface SampleSourceFactory extends Serializable {
        Source<Sample, ?, ?> create();

        boolean bounded();

        /**
         * Whether the input comes roughly in time order, so that watermarks may follow it. Files written
         * series by series (OpenMetrics, promtool's input) are not: they are read whole, and evaluated
         * when the end of input brings the final watermark.
         */
        boolean timeOrdered();

        /**
         * After how long without records a split (a Kafka partition) stops holding back the watermark; 0: never.
         * Only for time-ordered sources.
         */
        default long idleTimeoutMs() { return 0; }

        String describe();

        /**
         * The same input, bounded, for a backfill of the evaluation timestamps in {@code [fromMs, toMs]}: it must hold
         * at least the samples in {@code (fromMs - lookbehindMs, toMs]} (the longest range, lookback and
         * query_offset of the rules); more is harmless (evaluations outside the window are skipped). Files return
         * themselves; a generator replays that span in fast mode; a Kafka source would start at the offsets of
         * {@code fromMs - lookbehindMs} and stop at those of {@code toMs + 1} (both found by timestamp).
         *
         * @throws UnsupportedOperationException when this source cannot be replayed
         */
        default SampleSourceFactory forBackfill(long fromMs, long toMs, long lookbehindMs) {
            throw new UnsupportedOperationException(describe() + " cannot be replayed for a backfill");
        }
    }

    public Source<Sample, ?, ?> sampleSource() { return samples.create(); }

    /** The root URI of rule storage (no credentials). */
    public String rulesRoot() { return ruleStorage.root(); }

    /** Rules are read once when the samples are bounded (so the job can end), else polled. */
    public Source<RuleGroupChange, ?, ?> ruleSource() {
        return samples.bounded() ? RuleSource.once(ruleStorage) : RuleSource.continuous(ruleStorage, Duration.ofMillis(pollIntervalMs));
    }
}
