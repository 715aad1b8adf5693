package io.flinkruler.job;

import io.flinkruler.config.GeneratorSourceConfig;
import io.flinkruler.config.KafkaSourceConfig;
import io.flinkruler.config.OpenMetricsSourceConfig;
import io.flinkruler.config.RulerConfig;
import io.flinkruler.config.SourceConfig;
import io.flinkruler.evaluation.EvaluationDefaults;
import io.flinkruler.kafka.KafkaSampleSource;
import io.flinkruler.kafka.KafkaSampleSourceSettings;
import io.flinkruler.kafka.StartingOffsets;
import io.flinkruler.rulesource.RuleStorageLocation;
import io.flinkruler.storage.RuleStorageLocations;
import io.flinkruler.source.GeneratorOptions;
import io.flinkruler.source.GeneratorSource;
import io.flinkruler.source.OpenMetricsFileSource;
import io.flinkruler.source.Sample;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import org.apache.flink.api.connector.source.Source;

/** Resolves a {@link RulerConfig} into the plain {@link PipelineSettings} the job graph is built from. */
public final class PipelineSettingsFactory {
    static final int MAX_BATCH_SIZE = 512;
    static final int MAX_SAMPLES_PER_SEND = 2000;

    private PipelineSettingsFactory() {}

    public static PipelineSettings from(RulerConfig config, Integer parallelismOverride) {
        var ruler = config.ruler();
        var job = config.job();
        RuleStorageLocation ruleStorage = RuleStorageLocations.of(ruler.storage());
        EvaluationDefaults defaults = new EvaluationDefaults(ruler.evaluationIntervalMs(), ruler.queryOffsetMs(), job.lookbackDeltaMs());
        SourceConfig source = config.source().orElseThrow(() -> new IllegalArgumentException("the config has no source block"));
        return new PipelineSettings(
                parallelismOverride != null ? parallelismOverride : job.parallelism(),
                job.shards(),
                MAX_BATCH_SIZE,
                job.checkpointIntervalMs(),
                job.outOfOrdernessMs(),
                defaults,
                ruler.tenantRemoteWrite().orElse(null),
                MAX_SAMPLES_PER_SEND,
                ruleStorage,
                ruler.pollIntervalMs(),
                sampleSource(source),
                null).withState(new PipelineSettings.StateSettings(job.stateBackend(), job.checkpointDir().isEmpty() ? "" : location(job.checkpointDir())))
                .withDelivery(new PipelineSettings.Delivery(ruler.remoteWrite().maxWalTimeMs(), ruler.remoteWrite().minWalTimeMs(),
                        ruler.remoteWrite().walTruncateFrequencyMs(), ruler.remoteWrite().enabled()));
    }

    /** A Flink file system URI as written; a plain path as a file: URI. */
    static String location(String pathOrUri) {
        if (pathOrUri.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) return pathOrUri;
        return Path.of(pathOrUri).toAbsolutePath().normalize().toUri().toString();
    }

    static PipelineSettings.SampleSourceFactory sampleSource(SourceConfig source) {
        return switch (source.type()) {
            case OPENMETRICS -> new OpenMetricsFiles(source.openmetrics());
            case GENERATOR -> new Generator(source.generator());
            case KAFKA -> new KafkaTopics(source.kafka());
        };
    }

    record OpenMetricsFiles(OpenMetricsSourceConfig config) implements PipelineSettings.SampleSourceFactory {
        @Override
        public Source<Sample, ?, ?> create() {
            return OpenMetricsFileSource.of(location(config.path()), config.tenant());
        }

        /** A file is read once (bounded job); a folder too, for now: watching folders is for later. */
        @Override public boolean bounded() { return true; }

        @Override public boolean timeOrdered() { return false; }

        /** Files are read whole: every sample is there; evaluations outside the window are skipped. */
        @Override
        public PipelineSettings.SampleSourceFactory forBackfill(long fromMs, long toMs, long lookbehindMs) { return this; }

        @Override
        public String describe() {
            boolean local = location(config.path()).startsWith("file:");
            return "OpenMetrics " + (!local ? "" : Files.isDirectory(Path.of(config.path())) ? "folder " : "file ") + config.path()
                    + " (tenant " + config.tenant() + ")";
        }
    }

    /**
     * Kafka topics; for a backfill ({@code replayFromMs} set) read from that record timestamp and stopped at
     * {@code replayToMs}. Record timestamps are taken to follow the samples' (producers stamp records when
     * they write a scrape); {@link #REPLAY_MARGIN_MS} on both ends absorbs the difference.
     */
    record KafkaTopics(KafkaSourceConfig config, long replayFromMs, long replayToMs) implements PipelineSettings.SampleSourceFactory {
        static final long REPLAY_MARGIN_MS = 5 * 60_000;

        KafkaTopics(KafkaSourceConfig config) { this(config, Long.MIN_VALUE, KafkaSampleSourceSettings.NO_STOP); }

        @Override
        public Source<Sample, ?, ?> create() {
            boolean replay = replayFromMs != Long.MIN_VALUE;
            return KafkaSampleSource.create(new KafkaSampleSourceSettings(config.bootstrapServers(), config.topics(), config.topicPattern(),
                    replay ? config.groupId() + "-backfill" : config.groupId(),
                    replay ? StartingOffsets.timestamp(Math.max(0, replayFromMs)) : config.startingOffsets(),
                    config.properties(), config.format(), config.tenantHeader(), config.defaultTenant(), replay || config.bounded(), replayToMs));
        }

        @Override
        public PipelineSettings.SampleSourceFactory forBackfill(long fromMs, long toMs, long lookbehindMs) {
            return new KafkaTopics(config, fromMs - lookbehindMs - REPLAY_MARGIN_MS, toMs + REPLAY_MARGIN_MS);
        }

        @Override public boolean bounded() { return config.bounded() || replayFromMs != Long.MIN_VALUE; }

        /** Each partition is in time order as far as its producers are; watermarks are per partition. */
        @Override public boolean timeOrdered() { return true; }

        @Override public long idleTimeoutMs() { return config.idleTimeoutMs(); }

        /** No property values: they may hold credentials. */
        @Override
        public String describe() {
            return "Kafka " + config.bootstrapServers() + ", " + (config.topics().isEmpty() ? "topics matching /" + config.topicPattern() + "/"
                    : "topics " + String.join(", ", config.topics())) + ", " + config.format().yamlName() + " records, group "
                    + config.groupId() + ", starting at " + config.startingOffsets() + (config.bounded() ? ", up to the latest offsets" : "")
                    + ", tenant from header " + config.tenantHeader() + " (default " + config.defaultTenant() + ")";
        }
    }

    record Generator(GeneratorSourceConfig config) implements PipelineSettings.SampleSourceFactory {
        @Override
        public Source<Sample, ?, ?> create() {
            Duration interval = Duration.ofMillis(config.intervalMs());
            GeneratorOptions options = config.fast()
                    ? GeneratorOptions.fast(config.tenant(), config.targets(), interval, config.startMs() != 0 ? config.startMs()
                            : System.currentTimeMillis() - config.durationMs())
                    : GeneratorOptions.live(config.tenant(), config.targets(), interval);
            if (!config.fast() && config.startMs() != 0) options = options.withStartTime(config.startMs());
            options = options.withSeed(config.seed());
            if (config.durationMs() > 0) options = options.withRounds(Math.max(1, config.durationMs() / config.intervalMs()));
            return new GeneratorSource(options);
        }

        @Override public boolean bounded() { return config.durationMs() > 0; }

        @Override public boolean timeOrdered() { return true; }

        /**
         * Fast mode over the window: from the configured start when there is one (the same samples as a run of this
         * config), else from {@code fromMs - lookbehindMs}; the last round at or before {@code toMs}.
         */
        @Override
        public PipelineSettings.SampleSourceFactory forBackfill(long fromMs, long toMs, long lookbehindMs) {
            long interval = config.intervalMs();
            long start = config.startMs() != 0 ? config.startMs() : Math.floorDiv(fromMs - lookbehindMs, interval) * interval;
            if (start > toMs) throw new IllegalArgumentException("the generator starts at " + start + ", after the backfill's end " + toMs);
            long duration = (toMs - start) / interval * interval + interval;
            return new Generator(new GeneratorSourceConfig(config.tenant(), config.targets(), interval, true, start, duration, config.seed()));
        }

        @Override
        public String describe() {
            return "generator: " + config.targets() + " targets x 19 series, a sample each every " + config.intervalMs() / 1000.0
                    + "s of event time" + (config.fast() ? " (as fast as possible)" : " (live)") + ", tenant " + config.tenant();
        }
    }
}
