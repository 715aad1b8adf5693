package io.flinkruler.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.testsupport.CliResult;
import io.flinkruler.testsupport.FlinkClusterProcess;
import io.flinkruler.testsupport.PrometheusProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar on a real standalone Flink cluster (JobManager and TaskManager processes), submitted as
 * {@code flink run job/target/flink-ruler.jar --config FILE}; the same comparison with Prometheus as the
 * local end-to-end test. Runs after {@code package} (failsafe), when the jar exists.
 */
class ClusterEndToEndIT {
    @TempDir
    Path dir;

    @Test
    void fatJarOnStandaloneClusterMatchesPrometheus() throws Exception {
        Path jar = Path.of("target/flink-ruler.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "missing " + jar + ": run `mvn package` first");
        try (PrometheusProcess receiver = PrometheusProcess.start(dir.resolve("receiver"));
             FlinkClusterProcess cluster = FlinkClusterProcess.start()) {
            EndToEndScenario scenario = new EndToEndScenario(dir, receiver.remoteWriteUrl(), 2, null);
            CliResult run = cluster.runToCompletion(jar, Duration.ofMinutes(5), "--config", scenario.config.toString());
            System.out.println(run.output());
            assertEquals(0, run.exitCode(), "flink run failed:\n" + run.output() + "\n" + cluster.logTail(80));
            scenario.assertReceiverMatchesOracle(receiver);
        }
    }
}
