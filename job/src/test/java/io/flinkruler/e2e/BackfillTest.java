package io.flinkruler.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.cli.Main;
import io.flinkruler.model.StaleMarker;
import io.flinkruler.remotewrite.LocalRemoteWriteReceiver;
import io.flinkruler.remotewrite.ReceivedSample;
import io.flinkruler.testsupport.PrometheusProcess;
import io.flinkruler.testsupport.Promtool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flink-ruler backfill}: over the end-to-end scenario's OpenMetrics file into an OpenMetrics output that the
 * real {@code promtool tsdb create-blocks-from openmetrics} loads and a real Prometheus serves, equal to Prometheus's
 * own evaluation at exactly the window's evaluation timestamps; and over the generator through remote write, equal to
 * a full run's output inside the window and nothing outside it.
 */
class BackfillTest {
    private static final long START = 1_577_836_800_000L; // 2020-01-01T00:00:00Z
    private static final long MINUTE = 60_000;

    @TempDir
    Path dir;

    @Test
    void openMetricsOutputLoadsWithPromtoolAndEqualsPrometheusEvaluationInTheWindow() throws Exception {
        EndToEndScenario scenario = new EndToEndScenario(dir, "http://127.0.0.1:9/api/v1/write", 2, null);
        long from = START + 7 * MINUTE;
        long to = START + 24 * MINUTE + 30_000;
        Path output = dir.resolve("out").resolve("recorded.om");
        Files.createDirectories(output.getParent());
        // --from as RFC 3339 with a zone offset, --to as Unix milliseconds
        String out = backfill("--config", scenario.config.toString(), "--from", "2020-01-01T01:07:00+01:00", "--to", Long.toString(to),
                "--output", output.toString());
        assertTrue(out.contains("wrote"), out);

        String text = Files.readString(output);
        assertTrue(text.endsWith("# EOF\n"), "the file must end with # EOF");
        assertFalse(Files.exists(dir.resolve("out").resolve("recorded.om.parts")), "part files are removed");

        Path tsdbHome = dir.resolve("backfilled");
        Promtool.createBlocksFromOpenMetrics(output, tsdbHome.resolve("tsdb"));
        try (PrometheusProcess prometheus = PrometheusProcess.start(tsdbHome)) {
            scenario.assertReceiverMatchesOracle(prometheus, from, to);
        }
    }

    @Test
    void generatorBackfillDeliversExactlyTheFullRunsSamplesInsideTheWindow() throws Exception {
        long from = START + 20 * MINUTE;
        long to = START + 40 * MINUTE;
        Map<String, Double> full = receive("full", null);
        Map<String, Double> window = receive("backfill", new long[] {from, to});

        Map<String, Double> expected = new TreeMap<>();
        TreeSet<Long> fullTimestamps = new TreeSet<>();
        full.forEach((key, v) -> {
            long ts = timestampOf(key);
            fullTimestamps.add(ts);
            if (ts >= from && ts <= to && !StaleMarker.is(v)) expected.put(key, v);
        });
        assertTrue(fullTimestamps.first() < from && fullTimestamps.last() > to, "the full run must reach beyond the window");
        TreeSet<Long> windowTimestamps = new TreeSet<>();
        for (String key : window.keySet()) windowTimestamps.add(timestampOf(key));
        assertEquals(from, windowTimestamps.first(), "first evaluation of the backfill");
        assertEquals(to, windowTimestamps.last(), "last evaluation of the backfill");
        assertTrue(expected.size() > 500, "too little output to be meaningful: " + expected.size());
        assertEquals(expected, window, "the backfill differs from the full run inside the window");
    }

    @Test
    void rejectsMissingArgumentsAndBadTimes() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, Main.run(new String[] {"backfill", "--from", "0"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true)));
        assertTrue(err.toString().contains("--config, --from and --to are required"), err.toString());
        err.reset();
        assertEquals(2, Main.run(new String[] {"backfill", "--config", "x.yaml", "--from", "yesterday", "--to", "0"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true)));
        assertTrue(err.toString().contains("not an RFC 3339 time or Unix milliseconds: \"yesterday\""), err.toString());
        err.reset();
        assertEquals(2, Main.run(new String[] {"backfill", "--config", "x.yaml", "--from", "2020-01-02T00:00:00Z", "--to", "2020-01-01T00:00:00Z"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true)));
        assertTrue(err.toString().contains("is before --from"), err.toString());
    }

    private static long timestampOf(String key) { return Long.parseLong(key.substring(key.lastIndexOf('@') + 1)); }

    /** A run (window null) or a backfill over one hour of generated data from START; (series @ timestamp) -> value. */
    private Map<String, Double> receive(String name, long[] window) throws Exception {
        Path work = Files.createDirectories(dir.resolve(name));
        Path rules = Files.createDirectories(work.resolve("rules/anonymous"));
        Files.writeString(rules.resolve("rules.yaml"), """
                groups:
                  - name: requests
                    interval: 1m
                    rules:
                      - record: job_status:demo_requests:rate5m
                        expr: sum by (job, status) (rate(demo_requests_total[5m]))
                      - record: instance:demo_requests:increase2m
                        expr: sum by (instance) (increase(demo_requests_total[2m]))
                  - name: latency
                    interval: 30s
                    rules:
                      - record: instance:demo_temperature_celsius:max10m_ago
                        expr: max_over_time(demo_temperature_celsius[5m] offset 5m)
                """);
        try (LocalRemoteWriteReceiver receiver = LocalRemoteWriteReceiver.start(0)) {
            Path config = work.resolve("ruler.yaml");
            Files.writeString(config, """
                    ruler:
                      storage: {type: local, local: {directory: ./rules}}
                      tenant_remote_write: {url: %s}
                    source:
                      type: generator
                      generator: {tenant: anonymous, targets: 10, interval: 15s, mode: fast, start: %d, duration: 1h, seed: 7}
                    job: {parallelism: 2, shards: 16, checkpoint_interval: 1s}
                    """.formatted(receiver.writeUrl(), START));
            if (window == null) backfillOrRun("run", "--config", config.toString());
            else backfillOrRun("backfill", "--config", config.toString(), "--from", Long.toString(window[0]), "--to", Long.toString(window[1]));
            Map<String, Double> byKey = new TreeMap<>();
            List<ReceivedSample> samples = receiver.samples();
            for (ReceivedSample s : samples) byKey.put(s.labels() + " @" + s.timestampMs(), s.value());
            return byKey;
        }
    }

    private static String backfill(String... args) throws Exception { return backfillOrRun("backfill", args); }

    private static String backfillOrRun(String command, String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = command;
        System.arraycopy(args, 0, all, 1, args.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(all, new PrintStream(out, true), new PrintStream(err, true));
        System.out.print(out);
        System.err.print(err);
        assertEquals(0, code, command + " failed; stderr:\n" + err);
        return out.toString();
    }
}
