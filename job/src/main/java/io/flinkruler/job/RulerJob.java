package io.flinkruler.job;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Builds and executes the job: in a local MiniCluster, or on the cluster that {@code flink run} submits to. */
public final class RulerJob {
    private RulerJob() {}

    public static JobExecutionResult execute(PipelineSettings settings) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(settings));
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
        return conf;
    }
}
