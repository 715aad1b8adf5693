package io.flinkruler.job;

import io.flinkruler.config.JobSettings;
import org.apache.flink.api.common.JobExecutionResult;
import io.flinkruler.rulesource.RuleFileSystems;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Builds and executes the job: in a local MiniCluster, or on the cluster that {@code flink run} submits to. */
public final class RulerJob {
    private RulerJob() {}

    public static JobExecutionResult execute(PipelineSettings settings) throws Exception {
        Configuration conf = flinkConfiguration(settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (env instanceof LocalStreamEnvironment) {
            // A MiniCluster in this JVM: Flink's filesystems (the plugins beside the jar) get the rule storage keys.
            // On a cluster they come from the cluster's configuration; re-initializing there would drop its plugins.
            FileSystem.initialize(conf, RuleFileSystems.pluginManager().orElse(null));
            if (settings.state().checkpointDir().isEmpty()) {
                // Flink's default keeps checkpoints in the JobManager's memory, capped at 5 MiB: a few hundred
                // thousand series already exceed it, and every checkpoint (the remote-write WAL) would fail
                conf.setString("execution.checkpointing.storage", "filesystem");
                conf.setString("execution.checkpointing.dir", localCheckpointDir());
                env.configure(conf);
            }
        }
        env.setParallelism(settings.parallelism());
        RulerPipeline.build(env, settings);
        return env.execute("flink-ruler");
    }

    /** Checkpoints of local runs without {@code job.checkpoint_dir}: below the temporary folder, one folder per job id. */
    static String localCheckpointDir() {
        return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "flink-ruler-checkpoints").toUri().toString();
    }

    /** The job's own Flink settings; a cluster's configuration applies underneath. */
    public static Configuration flinkConfiguration(PipelineSettings settings) {
        Configuration conf = new Configuration();
        conf.setString("pipeline.generic-types", "false");
        conf.setString("pipeline.object-reuse", "true");
        long checkpointInterval = settings.checkpointIntervalMs();
        // the file sink of a backfill commits its files at checkpoints (the last one at the end of input)
        boolean writesFiles = settings.backfill() != null && settings.backfill().outputLocation() != null;
        if (checkpointInterval <= 0 && writesFiles) checkpointInterval = JobSettings.DEFAULT_CHECKPOINT_INTERVAL_MS;
        if (checkpointInterval > 0) {
            // checkpoints are the remote-write WAL: results leave only after the checkpoint that holds them
            conf.setString("execution.checkpointing.interval", checkpointInterval + " ms");
        }
        conf.setString("execution.checkpointing.checkpoints-after-tasks-finish", "true");
        conf.setString("restart-strategy.type", "fixed-delay");
        conf.setString("restart-strategy.fixed-delay.attempts", "10");
        conf.setString("restart-strategy.fixed-delay.delay", "2 s");
        PipelineSettings.StateSettings state = settings.state();
        if (!state.backend().isEmpty()) {
            conf.setString("state.backend.type", state.backend());
            // RocksDB: checkpoints upload only new SST files, not the whole state
            if (state.backend().equals("rocksdb")) conf.setString("execution.checkpointing.incremental", "true");
        }
        if (!state.checkpointDir().isEmpty()) {
            conf.setString("execution.checkpointing.storage", "filesystem");
            conf.setString("execution.checkpointing.dir", state.checkpointDir());
        }
        // Rule storage's filesystem keys (Flink hides values of keys that look like secrets in its UI)
        RuleFileSystems.configuration(settings.ruleStorage()).toMap().forEach(conf::setString);
        return conf;
    }
}
