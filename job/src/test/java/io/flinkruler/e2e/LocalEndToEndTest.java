package io.flinkruler.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkruler.cli.Main;
import io.flinkruler.testsupport.PrometheusProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job in a local MiniCluster, as {@code bin/flink-ruler run --config} runs it: OpenMetrics
 * input, rule files in a folder, results into a real Prometheus; compared with Prometheus's own
 * evaluation of the same rules over the same data.
 */
class LocalEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void recordedSeriesEqualPrometheusEvaluation() throws Exception {
        try (PrometheusProcess receiver = PrometheusProcess.start(dir.resolve("receiver"))) {
            EndToEndScenario scenario = new EndToEndScenario(dir, receiver.remoteWriteUrl(), 2, null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"run", "--config", scenario.config.toString()}, new PrintStream(out, true), new PrintStream(err, true));
            System.out.print(out);
            System.err.print(err);
            assertEquals(0, code, "exit code of run; stderr:\n" + err);
            scenario.assertReceiverMatchesOracle(receiver);
        }
    }
}
