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
        FailureInjection failureInjection) implements Serializable {

    /**
     * Fails the job once, for failover tests: at the first recorded batch at or after
     * {@code afterTimestampMs} that comes after a completed checkpoint, unless {@code markerFile}
     * exists (it is created when failing, so the restarted job goes on).
     */
    public record FailureInjection(String markerFile, long afterTimestampMs) implements Serializable {}

    public PipelineSettings withFailureInjection(FailureInjection injection) {
        return new PipelineSettings(parallelism, shards, maxBatchSize, checkpointIntervalMs, outOfOrdernessMs, evaluationDefaults,
                tenantRemoteWrite, maxSamplesPerSend, ruleStorage, pollIntervalMs, samples, injection);
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
    }

    public Source<Sample, ?, ?> sampleSource() { return samples.create(); }

    /** The root URI of rule storage (no credentials). */
    public String rulesRoot() { return ruleStorage.root(); }

    /** Rules are read once when the samples are bounded (so the job can end), else polled. */
    public Source<RuleGroupChange, ?, ?> ruleSource() {
        return samples.bounded() ? RuleSource.once(ruleStorage) : RuleSource.continuous(ruleStorage, Duration.ofMillis(pollIntervalMs));
    }
}
