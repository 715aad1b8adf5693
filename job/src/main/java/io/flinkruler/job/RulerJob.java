package io.flinkruler.job;

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
        }
        env.setParallelism(settings.parallelism());
        RulerPipeline.build(env, settings);
        return env.execute("flink-ruler");
    }

    /** The job's own Flink settings; a cluster's configuration applies underneath. */
    static Configuration flinkConfiguration(PipelineSettings settings) {
        Configuration conf = new Configuration();
        conf.setString("pipeline.generic-types", "false");
        conf.setString("pipeline.object-reuse", "true");
        if (settings.checkpointIntervalMs() > 0) {
            // checkpoints are the remote-write WAL: results leave only after the checkpoint that holds them
            conf.setString("execution.checkpointing.interval", settings.checkpointIntervalMs() + " ms");
        }
        conf.setString("execution.checkpointing.checkpoints-after-tasks-finish", "true");
        conf.setString("restart-strategy.type", "fixed-delay");
        conf.setString("restart-strategy.fixed-delay.attempts", "10");
        conf.setString("restart-strategy.fixed-delay.delay", "2 s");
        // Rule storage's filesystem keys (Flink hides values of keys that look like secrets in its UI)
        RuleFileSystems.configuration(settings.ruleStorage()).toMap().forEach(conf::setString);
        return conf;
    }
}
