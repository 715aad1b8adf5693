package io.flinkruler.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkruler.cli.Main;
import io.flinkruler.config.RulerConfig;
import io.flinkruler.job.PipelineSettingsFactory;
import io.flinkruler.job.RulerJob;
import io.flinkruler.testsupport.PrometheusProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end scenario with {@code job.state_backend: rocksdb} and a checkpoint directory: keyed state of both
 * steps in RocksDB (serialized on every access, so in-place mutation without {@code update()} would lose data),
 * checkpoints every 300 ms into the directory; the results equal Prometheus's evaluation as with the heap backend.
 */
class RocksDbEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void recordedSeriesEqualPrometheusEvaluationWithRocksDb() throws Exception {
        try (PrometheusProcess receiver = PrometheusProcess.start(dir.resolve("receiver"))) {
            EndToEndScenario scenario = new EndToEndScenario(dir, receiver.remoteWriteUrl(), 2,
                    "  state_backend: rocksdb\n  checkpoint_dir: ./checkpoints\n");
            Configuration flink = RulerJob.flinkConfiguration(PipelineSettingsFactory.from(RulerConfig.load(scenario.config), null));
            assertEquals("rocksdb", flink.getString("state.backend.type", null));
            assertEquals(dir.resolve("checkpoints").toUri().toString(), flink.getString("execution.checkpointing.dir", null));

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
