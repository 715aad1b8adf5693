package io.flinkruler.remotewrite;

import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import io.flinkruler.remotewrite.internal.EndpointLane;
import io.flinkruler.remotewrite.internal.RemoteWriteHttpSender;
import io.flinkruler.remotewrite.internal.RemoteWriteSinkWriter;
import io.flinkruler.remotewrite.internal.SendResult;
import io.flinkruler.rules.RemoteWriteConfig;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Pushes through the sender and the committer into a real Prometheus (Debian package, started here with
 * --web.enable-remote-write-receiver and out_of_order_time_window 100y) and reads the samples back with
 * PromQL. Without {@code prometheus} on PATH this test fails on purpose: CI installs it.
 */
class PrometheusRemoteWriteTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Whole seconds, ten minutes ago: recent enough for the head block, queryable at exact steps. */
    private static final long T0 = (System.currentTimeMillis() / 60_000L - 10) * 60_000L;

    private static Path dataDir;
    private static Process prometheus;
    private static int port;

    @BeforeAll
    static void startPrometheus() throws Exception {
        Path binary = findOnPath("prometheus");
        dataDir = Files.createTempDirectory("flink-ruler-prometheus");
        Files.writeString(dataDir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1h
                storage:
                  tsdb:
                    out_of_order_time_window: 100y
                """);
        port = freePort();
        prometheus = new ProcessBuilder(binary.toString(),
                "--config.file=" + dataDir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dataDir.resolve("tsdb"),
                "--storage.tsdb.retention.time=100y",
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver")
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("prometheus.log").toFile())
                .start();
        awaitReady();
    }

    @AfterAll
    static void stopPrometheus() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) prometheus.destroyForcibly().waitFor();
        }
        if (dataDir != null) {
            try (var paths = Files.walk(dataDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static Path findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) return candidate;
        }
        fail("'" + name + "' is not on PATH: this test needs a real Prometheus (Debian: apt-get install prometheus; CI installs it)");
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!prometheus.isAlive()) fail("prometheus exited:\n" + logTail());
            try {
                HttpResponse<Void> ready = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        fail("prometheus not ready after 60s:\n" + logTail());
    }

    private static String logTail() throws IOException {
        List<String> lines = Files.readAllLines(dataDir.resolve("prometheus.log"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static RemoteWriteConfig endpoint() {
        return RemoteWriteConfig.ofUrl("http://127.0.0.1:" + port + "/api/v1/write");
    }

    /** Instant query; returns the value string per {@code job} label (Prometheus renders NaN, +Inf as such). */
    private static Map<String, String> query(String promql, long timeMs) throws Exception {
        String url = "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time=" + (timeMs / 1000.0);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        Map<String, String> byJob = new TreeMap<>();
        Matcher m = Pattern.compile("\"job\":\"(\\w+)\"}?,\"value\":\\[[0-9.e+]+,\"([^\"]+)\"]").matcher(response.body());
        while (m.find()) byJob.put(m.group(1), m.group(2));
        assertTrue(response.body().contains("\"status\":\"success\""), response.body());
        return byJob;
    }

    @Test
    void specialValuesAndStaleMarkersArriveAsSent() throws Exception {
        Labels a = Labels.of("__name__", "flinkruler_special", "job", "a");
        Labels b = Labels.of("__name__", "flinkruler_special", "job", "b");
        byte[] body = WriteRequestCodec.encodeCompressed(List.of(
                new SeriesSamples(a, new long[] {T0, T0 + 15_000, T0 + 30_000}, new double[] {0.25, 1e-3, -2.5}),
                new SeriesSamples(b, new long[] {T0, T0 + 15_000, T0 + 30_000},
                        new double[] {Double.POSITIVE_INFINITY, Double.NaN, StaleMarker.VALUE})));

        try (RemoteWriteHttpSender sender = new RemoteWriteHttpSender("flink-ruler/test")) {
            SendResult result = sender.send(endpoint(), body);
            assertTrue(result.isSuccess(), result::describe);
        }

        assertEquals(Map.of("a", "0.25", "b", "+Inf"), query("flinkruler_special", T0));
        assertEquals(Map.of("a", "0.001", "b", "NaN"), query("flinkruler_special", T0 + 15_000));
        assertEquals(Map.of("a", "-2.5"), query("flinkruler_special", T0 + 30_000), "the stale marker ends series b");
        assertEquals(Map.of("a", "3", "b", "2"), query("count_over_time(flinkruler_special[1m])", T0 + 30_000));
    }

    @Test
    void laneDeliversSplitRequestsInOrder() throws Exception {
        Labels c = Labels.of("__name__", "flinkruler_committed", "job", "c");
        Labels d = Labels.of("__name__", "flinkruler_committed", "job", "d");
        RemoteWriteConfig tenant = endpoint().withHeader("X-Scope-OrgID", "team-a");
        RemoteWriteSinkWriter writer = new RemoteWriteSinkWriter(7, 0, 0, new UnregisteredMetricsGroup());
        for (int step = 0; step < 20; step++) {
            long t = T0 + step * 15_000L;
            writer.write(new WriteBatch("team-a", List.of(tenant), new Labels[] {d, c}, new long[] {t, t}, new double[] {step, 100 + step}), null);
        }
        List<RemoteWriteCommittable> committables = DeliveryFixture.viaCheckpoint(new ArrayList<>(writer.prepareCommit()));
        assertEquals(6, committables.size());

        try (DeliveryFixture fixture = new DeliveryFixture()) {
            EndpointLane lane = fixture.lane(tenant);
            DeliveryFixture.putAll(lane, committables);
            DeliveryFixture.awaitEmpty(lane);
        }

        assertEquals(Map.of("c", "105", "d", "5"), query("flinkruler_committed", T0 + 75_000));
        assertEquals(Map.of("c", "119", "d", "19"), query("flinkruler_committed", T0 + 19 * 15_000L));
        assertEquals(Map.of("c", "20", "d", "20"), query("count_over_time(flinkruler_committed[10m])", T0 + 19 * 15_000L));
        assertEquals(Map.of("c", "19", "d", "19"), query("changes(flinkruler_committed[10m])", T0 + 19 * 15_000L));
    }

    @Test
    void version2ToThisPrometheusFallsBackTo1AndEverythingArrives() throws Exception {
        // Prometheus 2.42 reads every body as 1.0: a 2.0 body is accepted with nothing written and no written-samples header.
        RemoteWriteConfig v2 = endpoint().toBuilder().protobufMessage(RemoteWriteConfig.ProtobufMessage.V2).build();
        Labels e = Labels.of("__name__", "flinkruler_v2", "job", "e");
        RemoteWriteSinkWriter writer = new RemoteWriteSinkWriter(7, 0, 0, new UnregisteredMetricsGroup());
        for (int step = 0; step < 10; step++) {
            writer.write(new WriteBatch("anonymous", List.of(v2), new Labels[] {e}, new long[] {T0 + step * 15_000L}, new double[] {step}), null);
        }
        try (DeliveryFixture fixture = new DeliveryFixture()) {
            EndpointLane lane = fixture.lane(v2);
            DeliveryFixture.putAll(lane, DeliveryFixture.viaCheckpoint(new ArrayList<>(writer.prepareCommit())));
            DeliveryFixture.awaitEmpty(lane);
            assertEquals(10, fixture.metrics.count(DeliveryFixture.prefix(v2) + "samplesSent"));
        }
        assertEquals(Map.of("e", "10"), query("count_over_time(flinkruler_v2[10m])", T0 + 9 * 15_000L));
    }

    @Test
    void seriesPrometheusRejectsAreIsolatedByBisecting() throws Exception {
        // A sample at an existing timestamp with another value is a "duplicate sample for timestamp": Prometheus
        // answers 400 and writes nothing of the request.
        Labels taken = Labels.of("__name__", "flinkruler_poison", "job", "p07");
        try (RemoteWriteHttpSender sender = new RemoteWriteHttpSender("flink-ruler/test")) {
            assertTrue(sender.send(endpoint(), WriteRequestCodec.encodeCompressed(List.of(
                    new SeriesSamples(taken, new long[] {T0}, new double[] {1})))).isSuccess());
        }
        RemoteWriteSinkWriter writer = new RemoteWriteSinkWriter(1000, 0, 0, new UnregisteredMetricsGroup());
        Labels[] series = new Labels[30];
        for (int i = 0; i < series.length; i++) series[i] = Labels.of("__name__", "flinkruler_poison", "job", String.format("p%02d", i));
        long[] times = new long[30];
        double[] values = new double[30];
        java.util.Arrays.fill(times, T0);
        java.util.Arrays.fill(values, 2);
        writer.write(new WriteBatch("anonymous", List.of(endpoint()), series, times, values), null);

        try (DeliveryFixture fixture = new DeliveryFixture()) {
            EndpointLane lane = fixture.lane(endpoint());
            DeliveryFixture.putAll(lane, DeliveryFixture.viaCheckpoint(new ArrayList<>(writer.prepareCommit())));
            DeliveryFixture.awaitEmpty(lane);
            assertEquals(1, fixture.metrics.count(DeliveryFixture.prefix(endpoint()) + "reason.invalid_series.samplesDropped"));
            assertEquals(29, fixture.metrics.count(DeliveryFixture.prefix(endpoint()) + "samplesSent"));
        }
        Map<String, String> stored = query("flinkruler_poison", T0);
        assertEquals(30, stored.size());
        assertEquals("1", stored.get("p07"), "the rejected sample did not overwrite the stored one");
        assertEquals("2", stored.get("p08"));
    }
}
