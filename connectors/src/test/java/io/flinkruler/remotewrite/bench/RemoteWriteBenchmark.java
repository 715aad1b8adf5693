package io.flinkruler.remotewrite.bench;

import io.flinkruler.model.Labels;
import io.flinkruler.remotewrite.RemoteWriteCommittable;
import io.flinkruler.remotewrite.WriteBatch;
import io.flinkruler.remotewrite.internal.EndpointLane;
import io.flinkruler.remotewrite.internal.EndpointMetrics;
import io.flinkruler.remotewrite.internal.RemoteWriteHttpSender;
import io.flinkruler.remotewrite.internal.RemoteWriteSinkWriter;
import io.flinkruler.remotewrite.internal.RequestAssembler;
import io.flinkruler.remotewrite.internal.RequestDelivery;
import io.flinkruler.remotewrite.internal.SinkSettings;
import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.RemoteWriteConfig.ProtobufMessage;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plain timed measurements (not a test, not run by the build):
 * <ol>
 *   <li>encoding: samples/s on one thread from {@link RequestAssembler#add} to compressed request bodies, for
 *       remote-write 1.0 and 2.0 (series of 7 labels, 2000 samples per request), with 200 samples per series
 *       in a request (a long checkpoint interval) and with one (a rule evaluated once per checkpoint);</li>
 *   <li>end to end: samples/s from {@link RemoteWriteSinkWriter#write} through prepareCommit and one endpoint
 *       lane into a real Prometheus (Debian's, started here).</li>
 * </ol>
 * Run: {@code java -cp <connectors test classpath> io.flinkruler.remotewrite.bench.RemoteWriteBenchmark [samples]}.
 */
public final class RemoteWriteBenchmark {
    private static final int SERIES = 10_000;

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        Labels[] series = series();
        for (int perSeries : new int[] {samples / SERIES, 1}) {
            for (ProtobufMessage format : ProtobufMessage.values()) {
                encode(series, samples / 4, format, perSeries); // warm-up
                double best = 0;
                long bytes = 0;
                for (int round = 0; round < 3; round++) {
                    long start = System.nanoTime();
                    bytes = encode(series, samples, format, perSeries);
                    best = Math.max(best, samples / ((System.nanoTime() - start) / 1e9));
                }
                System.out.printf("encode %s, %d samples per series and request: %,.0f samples/s on one thread, %.2f bytes/sample compressed%n",
                        format == ProtobufMessage.V1 ? "1.0" : "2.0", perSeries, best, (double) bytes / samples);
            }
        }
        endToEnd(series, samples, ProtobufMessage.V1);
    }

    private static Labels[] series() {
        Labels[] series = new Labels[SERIES];
        for (int i = 0; i < SERIES; i++) {
            series[i] = Labels.of("__name__", "namespace_pod:container_cpu_usage_seconds:rate5m", "cluster", "prod-eu-" + (i % 3),
                    "namespace", "team-" + (i % 40), "pod", "api-" + Integer.toHexString(i * 2654435761L > 0 ? i * 7919 : i),
                    "container", "app", "job", "kubelet");
        }
        return series;
    }

    /**
     * All samples through assemblers (series interleaved as evaluations produce them), drained after every
     * {@code perSeries} samples of each series; total compressed bytes.
     */
    private static long encode(Labels[] series, int samples, ProtobufMessage format, int perSeries) {
        RequestAssembler assembler = new RequestAssembler();
        long t0 = 1_767_225_600_000L;
        long bytes = 0;
        int batch = perSeries * SERIES;
        for (int i = 0; i < samples; i++) {
            assembler.add(series[i % SERIES], t0 + (i / SERIES) * 15_000L, i * 0.5);
            if ((i + 1) % batch == 0 || i == samples - 1) {
                for (RequestAssembler.EncodedRequest r : assembler.drain(2000, format)) bytes += r.snappyPayload().length;
            }
        }
        return bytes;
    }

    private static void endToEnd(Labels[] series, int samples, ProtobufMessage format) throws Exception {
        Path dir = Files.createTempDirectory("rw-bench");
        Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1h\nstorage:\n  tsdb:\n    out_of_order_time_window: 100y\n");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port, "--web.enable-remote-write-receiver")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        ExecutorService threads = Executors.newCachedThreadPool();
        try (RemoteWriteHttpSender sender = new RemoteWriteHttpSender("flink-ruler/bench")) {
            awaitReady(port);
            RemoteWriteConfig endpoint = RemoteWriteConfig.builder("http://127.0.0.1:" + port + "/api/v1/write").protobufMessage(format).build();
            SinkSettings settings = new SinkSettings(2000, Duration.ofMillis(30), Duration.ofSeconds(5), Duration.ZERO, "flink-ruler/bench", 1);
            EndpointMetrics metrics = new EndpointMetrics.Registry(new UnregisteredMetricsGroup()).forEndpoint(endpoint);
            RequestDelivery delivery = new RequestDelivery(endpoint, sender, metrics, settings, System::currentTimeMillis,
                    d -> Thread.sleep(d.toMillis()));
            EndpointLane lane = new EndpointLane(endpoint, delivery, metrics, settings, threads, System::currentTimeMillis);
            RemoteWriteSinkWriter writer = new RemoteWriteSinkWriter(2000, 0, 0, new UnregisteredMetricsGroup());
            long t0 = (System.currentTimeMillis() / 60_000 - 60) * 60_000;
            int perBatch = 100;
            long start = System.nanoTime();
            int written = 0;
            int checkpointEvery = 200_000; // samples between two "checkpoints"
            while (written < samples) {
                Labels[] s = new Labels[perBatch];
                long[] t = new long[perBatch];
                double[] v = new double[perBatch];
                for (int i = 0; i < perBatch; i++) {
                    int n = written + i;
                    s[i] = series[n % SERIES];
                    t[i] = t0 + (n / SERIES) * 1_000L;
                    v[i] = n;
                }
                writer.write(new WriteBatch("anonymous", List.of(endpoint), s, t, v), null);
                written += perBatch;
                if (written % checkpointEvery == 0 || written >= samples) {
                    Collection<RemoteWriteCommittable> requests = writer.prepareCommit();
                    lane.putAll(new ArrayList<>(requests));
                }
            }
            lane.awaitEmpty();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("end to end into Prometheus (%s): %,d samples in %.1f s = %,.0f samples/s (%d requests, %d failed attempts)%n",
                    format == ProtobufMessage.V1 ? "1.0" : "2.0", metrics.samplesSent.getCount(), seconds,
                    metrics.samplesSent.getCount() / seconds, metrics.requestsSent.getCount(), metrics.requestsFailed.getCount());
            lane.close();
        } finally {
            threads.shutdownNow();
            prometheus.destroy();
            prometheus.waitFor();
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static void awaitReady(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 600; i++) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("prometheus not ready");
    }
}
