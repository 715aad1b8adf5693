package io.flinkruler.job;

import io.flinkruler.job.backfill.OpenMetricsFileOutput;
import io.flinkruler.job.operators.FailOnceAfterCheckpoint;
import io.flinkruler.job.operators.RuleBroadcast;
import io.flinkruler.job.operators.ResultRouting;
import io.flinkruler.job.operators.RuleStepFunction;
import io.flinkruler.job.operators.SeriesStepFunction;
import io.flinkruler.job.operators.ShardBatcher;
import io.flinkruler.job.records.PartialEvaluation;
import io.flinkruler.job.records.ShardBatch;
import io.flinkruler.remotewrite.RemoteWriteSink;
import io.flinkruler.remotewrite.RemoteWriteSinkBuilder;
import io.flinkruler.remotewrite.WriteBatch;
import io.flinkruler.rulesource.RuleGroupChange;
import io.flinkruler.source.Sample;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job graph: rule source -> broadcast; samples -> shard batches -> keyed per-series step ->
 * keyed per-rule step -> two-phase-commit remote-write sink. Operator uids are stable so that
 * savepoints survive changes of the job's code.
 */
public final class RulerPipeline {
    private RulerPipeline() {}

    public static void build(StreamExecutionEnvironment env, PipelineSettings settings) {
        DataStream<RuleGroupChange> ruleChanges = env
                .fromSource(settings.ruleSource(), WatermarkStrategy.noWatermarks(), "rule-source")
                .uid("rule-source")
                .setParallelism(1);
        BroadcastStream<RuleGroupChange> rules = ruleChanges.broadcast(RuleBroadcast.DESCRIPTOR);

        WatermarkStrategy<Sample> watermarks = settings.samples().timeOrdered()
                ? WatermarkStrategy.<Sample>forBoundedOutOfOrderness(Duration.ofMillis(settings.outOfOrdernessMs()))
                        .withTimestampAssigner((s, previous) -> s.timestampMs())
                : WatermarkStrategy.noWatermarks();
        if (settings.samples().timeOrdered() && settings.samples().idleTimeoutMs() > 0) {
            watermarks = watermarks.withIdleness(Duration.ofMillis(settings.samples().idleTimeoutMs()));
        }
        DataStream<Sample> samples = env.fromSource(settings.sampleSource(), watermarks, "sample-source").uid("sample-source");

        DataStream<ShardBatch> batches = samples
                .transform("shard-batcher", ShardBatch.typeInfo(), new ShardBatcher(settings.shards(), settings.maxBatchSize()))
                .uid("shard-batcher");

        DataStream<PartialEvaluation> partials = batches
                .keyBy(ShardBatch::shardKey)
                .connect(rules)
                .process(new SeriesStepFunction(settings.evaluationDefaults(), settings.backfill()), PartialEvaluation.typeInfo())
                .uid("series-step")
                .name("series-step");

        boolean writesFile = settings.backfill() != null && settings.backfill().outputLocation() != null;
        DataStream<WriteBatch> results = partials
                .keyBy(PartialEvaluation::groupKey)
                .connect(rules)
                .process(new RuleStepFunction(settings.evaluationDefaults(), new ResultRouting(settings.tenantRemoteWrite(),
                        settings.delivery().groupRemoteWriteEnabled(), writesFile)), TypeInformation.of(WriteBatch.class))
                .uid("rule-step")
                .name("rule-step");

        if (settings.failureInjection() != null) {
            results = results.map(new FailOnceAfterCheckpoint(settings.failureInjection()), TypeInformation.of(WriteBatch.class))
                    .uid("failure-injection").name("failure-injection");
        }
        // forward (no shuffle): a group's samples always reach the same sink subtask, in timestamp order
        if (writesFile) {
            results.sinkTo(new OpenMetricsFileOutput(settings.backfill().outputLocation()).sink())
                    .uid("openmetrics-file-sink")
                    .name("openmetrics-file-sink");
            return;
        }
        RemoteWriteSinkBuilder sink = RemoteWriteSink.builder().maxSamplesPerSend(settings.maxSamplesPerSend());
        PipelineSettings.Delivery delivery = settings.delivery();
        if (delivery.maxWalTimeMs() > 0) sink.maxWalTime(Duration.ofMillis(delivery.maxWalTimeMs()));
        if (delivery.minWalTimeMs() > 0) sink.minWalTime(Duration.ofMillis(delivery.minWalTimeMs()));
        if (delivery.walTruncateFrequencyMs() > 0) sink.walTruncateFrequency(Duration.ofMillis(delivery.walTruncateFrequencyMs()));
        results.sinkTo(sink.build())
                .uid("remote-write-sink")
                .name("remote-write-sink");
    }
}
