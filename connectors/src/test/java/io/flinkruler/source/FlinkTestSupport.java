package io.flinkruler.source;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A shared MiniCluster and environments with generic (Kryo) types disabled, as the job runs. */
public final class FlinkTestSupport {
    private FlinkTestSupport() {}

    public static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(4)
                .build());
    }

    public static StreamExecutionEnvironment env(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        assertTrue(env.getConfig().getSerializerConfig().hasGenericTypesDisabled(), "generic types must be disabled in tests");
        return env;
    }
}
