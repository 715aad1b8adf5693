package io.flinkruler.testsupport;

import io.flinkruler.model.Labels;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Debian's Prometheus (2.42) on a free 127.0.0.1 port: a remote-write receiver that accepts old and out-of-order
 * samples (retention and {@code out_of_order_time_window} 100y), and a PromQL endpoint. Nothing is scraped.
 *
 * <p>Query semantics are those of 2.42, not 3.x: range selections and the 5m lookback are closed
 * {@code [t-r, t]} there (3.x: left-open), so tests keep samples off range boundaries.
 *
 * <p>Fails (never skips) when {@code prometheus} is not on PATH: run {@code scripts/install-test-deps.sh}.
 * Its log and config stay in {@link #dataDir()}; {@link #close()} kills the server and deletes the TSDB.
 */
public final class PrometheusProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);
    private static final String READY_LOG_LINE = "Server is ready to receive web requests";

    private final Path dataDir;
    private final int port;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile boolean closed;

    private PrometheusProcess(Path dataDir, int port, Process process) {
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
    }

    /** A Prometheus with an empty TSDB in a new work directory. */
    public static PrometheusProcess start() {
        return start(WorkDirs.create("prometheus"));
    }

    /** A Prometheus whose TSDB is {@code dataDir/tsdb}; blocks already there (from promtool) are served. */
    public static PrometheusProcess start(Path dataDir) {
        Path binary = Commands.onPath("prometheus").orElseThrow(() -> new IllegalStateException(
                "prometheus is not on PATH: run scripts/install-test-deps.sh (installs Debian's prometheus and promtool)"));
        try {
            Path dir = dataDir.toAbsolutePath();
            Files.createDirectories(dir.resolve("tsdb"));
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1h
                    storage:
                      tsdb:
                        out_of_order_time_window: 100y
                    """);
            IllegalStateException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {   // the free port may be taken before Prometheus binds it
                int port = FreePorts.one();
                try {
                    return startOn(binary, dir, port);
                } catch (PortTakenException e) {
                    last = e;
                }
            }
            throw last;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dataDir, e);
        }
    }

    private static PrometheusProcess startOn(Path binary, Path dir, int port) throws IOException {
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(binary.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--storage.tsdb.retention.time=100y",
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver")
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        PrometheusProcess prom = new PrometheusProcess(dir, port, p);
        ShutdownCleanup.register(prom);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    String tail = Commands.tail(log, 30);
                    prom.close();
                    if (tail.contains("address already in use")) throw new PortTakenException(port);
                    throw new IllegalStateException("prometheus exited with " + p.exitValue() + " while starting; log tail ("
                            + log + "):\n" + tail);
                }
                // the log line proves that the server on the port is ours; /-/ready that it serves
                if (Files.readString(log).contains(READY_LOG_LINE) && prom.isReady()) return prom;
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            prom.close();
            throw new IllegalStateException("interrupted while starting prometheus", e);
        }
        String tail = Commands.tail(log, 30);
        prom.close();
        throw new IllegalStateException("prometheus not ready after " + START_TIMEOUT + "; log tail (" + log + "):\n" + tail);
    }

    private boolean isReady() {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/-/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int port() { return port; }

    public String baseUrl() { return "http://127.0.0.1:" + port; }

    /** Prometheus remote write 1.0 endpoint (snappy-compressed protobuf WriteRequest). */
    public String remoteWriteUrl() { return baseUrl() + "/api/v1/write"; }

    public Path dataDir() { return dataDir; }

    /** The instant vector of {@code promql} at {@code tsMs}; a scalar result becomes one element with no labels. */
    public List<SeriesValue> queryInstant(String promql, long tsMs) {
        Map<String, Object> data = api("/api/v1/query", "query", promql, "time", seconds(tsMs));
        String type = (String) data.get("resultType");
        switch (type) {
            case "vector": {
                List<SeriesValue> out = new ArrayList<>();
                for (Object o : Json.array(data.get("result"))) {
                    Map<String, Object> series = Json.object(o);
                    out.add(new SeriesValue(labels(series.get("metric")), value(Json.array(series.get("value")).get(1))));
                }
                return out;
            }
            case "scalar":   // the rule manager records a scalar as one series without labels; so do we
                return List.of(new SeriesValue(Labels.EMPTY, value(Json.array(data.get("result")).get(1))));
            default:
                throw new IllegalArgumentException("query " + promql + " gave a " + type + ", not an instant vector or scalar");
        }
    }

    /** {@code /api/v1/query_range}: per result series its points at fromMs, fromMs + stepMs, ... <= toMs. */
    public Map<Labels, List<Sample>> queryRange(String promql, long fromMs, long toMs, long stepMs) {
        Map<String, Object> data = api("/api/v1/query_range", "query", promql, "start", seconds(fromMs), "end", seconds(toMs),
                "step", seconds(stepMs));
        return matrix(promql, data);
    }

    /**
     * All raw samples of the series matching {@code selector} with timestamps in {@code [fromMs, toMs]} (closed on
     * both ends in 2.42), read as the range selection {@code selector[(toMs - fromMs)ms]} at {@code toMs}
     * (2.42 has no export API). Stale markers are not returned: Prometheus hides them from queries.
     */
    public Map<Labels, List<Sample>> seriesSamples(String selector, long fromMs, long toMs) {
        if (toMs <= fromMs) throw new IllegalArgumentException("empty window [" + fromMs + ", " + toMs + "]");
        String query = selector + "[" + (toMs - fromMs) + "ms]";
        return matrix(query, api("/api/v1/query", "query", query, "time", seconds(toMs)));
    }

    /** The last lines of the server's log (for failure messages). */
    public String logTail(int lines) { return Commands.tail(dataDir.resolve("prometheus.log"), lines); }

    private Map<Labels, List<Sample>> matrix(String query, Map<String, Object> data) {
        if (!"matrix".equals(data.get("resultType"))) throw new IllegalArgumentException("query " + query + " gave a " + data.get("resultType"));
        Map<Labels, List<Sample>> out = new TreeMap<>();
        for (Object o : Json.array(data.get("result"))) {
            Map<String, Object> series = Json.object(o);
            List<Sample> samples = new ArrayList<>();
            for (Object point : Json.array(series.get("values"))) {
                List<Object> tv = Json.array(point);
                samples.add(new Sample(millis((BigDecimal) tv.get(0)), value(tv.get(1))));
            }
            out.put(labels(series.get("metric")), samples);
        }
        return out;
    }

    private Map<String, Object> api(String path, String... params) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < params.length; i += 2) {
            if (form.length() > 0) form.append('&');
            form.append(params[i]).append('=').append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(QUERY_TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(path + " " + form + " failed: " + e + (process.isAlive() ? ""
                    : "\nprometheus is not running; log tail:\n" + logTail(20)), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Map<String, Object> body;
        try {
            body = Json.object(Json.parse(r.body()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + " with non-JSON: " + r.body(), e);
        }
        if (r.statusCode() != 200 || !"success".equals(body.get("status"))) {
            throw new IllegalStateException("prometheus " + path + " " + form + " -> HTTP " + r.statusCode() + " "
                    + body.get("errorType") + ": " + body.get("error"));
        }
        return Json.object(body.get("data"));
    }

    static Labels labels(Object metric) {
        Map<String, String> m = new LinkedHashMap<>();
        Json.object(metric).forEach((k, v) -> m.put(k, (String) v));
        return Labels.fromMap(m);
    }

    /** Prometheus writes sample values as strings, with "NaN", "+Inf" and "-Inf". */
    static double value(Object v) {
        String s = (String) v;
        return switch (s) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    static String seconds(long ms) { return BigDecimal.valueOf(ms, 3).toPlainString(); }

    static long millis(BigDecimal seconds) { return seconds.movePointRight(3).setScale(0, RoundingMode.HALF_EVEN).longValueExact(); }

    /** Kills the server (SIGTERM, SIGKILL after 10 s) and deletes its TSDB; the log and config stay. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Commands.stop(process, Duration.ofSeconds(10));
        WorkDirs.deleteRecursively(dataDir.resolve("tsdb"));
        ShutdownCleanup.unregister(this);
    }

    @Override
    public String toString() { return "prometheus on " + baseUrl() + " in " + dataDir; }

    private static final class PortTakenException extends IllegalStateException {
        PortTakenException(int port) { super("port " + port + " was taken before prometheus could bind it"); }
    }
}
