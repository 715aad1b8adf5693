package io.flinkruler.source;

import io.flinkruler.model.Labels;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenMetricsFileSourceTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = FlinkTestSupport.miniCluster();

    @TempDir
    Path dir;

    private static DataStream<Sample> samples(StreamExecutionEnvironment env, OpenMetricsFileSource source) {
        return env.fromSource(source, WatermarkStrategy.<Sample>forBoundedOutOfOrderness(Duration.ofMinutes(1))
                .withTimestampAssigner((s, ts) -> s.timestampMs()), "openmetrics");
    }

    @Test
    void readsOneFileInFileOrderAndSkipsBadLines() throws Exception {
        Path file = dir.resolve("metrics.om");
        Files.writeString(file, """
                # HELP http_requests_total Requests.
                # TYPE http_requests_total counter
                http_requests_total{code="200",job="api"} 10 1700000015
                http_requests_total{code="200",job="api"} 4 1700000000
                this is not a sample
                http_requests_total{code="500",job="api",path="a\\"b"} NaN 1700000000.250
                no_timestamp 1
                temperature_celsius -Inf 1700000030
                # EOF
                """);
        List<Sample> got = samples(FlinkTestSupport.env(1), OpenMetricsFileSource.of(file.toUri().toString(), "team-a"))
                .executeAndCollect(100);
        assertEquals(List.of(
                new Sample("team-a", Labels.of("__name__", "http_requests_total", "code", "200", "job", "api"), 1_700_000_015_000L, 10),
                new Sample("team-a", Labels.of("__name__", "http_requests_total", "code", "200", "job", "api"), 1_700_000_000_000L, 4),
                new Sample("team-a", Labels.of("__name__", "http_requests_total", "code", "500", "job", "api", "path", "a\"b"),
                        1_700_000_000_250L, Double.NaN),
                new Sample("team-a", Labels.of("__name__", "temperature_celsius"), 1_700_000_030_000L, Double.NEGATIVE_INFINITY)),
                got);
    }

    @Test
    void readsEveryVisibleFileOfAFolder() throws Exception {
        for (int f = 0; f < 3; f++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 50; i++) sb.append("m{file=\"").append(f).append("\"} ").append(i).append(' ').append(i * 15).append('\n');
            Files.writeString(dir.resolve("part-" + f + ".txt"), sb);
        }
        Files.writeString(dir.resolve(".hidden"), "hidden 1 1\n");
        Files.writeString(dir.resolve("_SUCCESS"), "");
        Files.createDirectory(dir.resolve("subdir"));
        Files.writeString(dir.resolve("subdir/nested.om"), "nested 1 1\n");

        List<Sample> got = samples(FlinkTestSupport.env(2), OpenMetricsFileSource.of(dir.toUri().toString(), "t"))
                .executeAndCollect(1000);
        assertEquals(150, got.size());
        Set<String> keys = new TreeSet<>();
        for (Sample s : got) {
            assertEquals("m", s.labels().metricName());
            keys.add(s.labels().get("file") + "/" + (long) s.value() + "@" + s.timestampMs());
        }
        assertEquals(150, keys.size());
        assertTrue(keys.contains("2/49@735000"));
    }

    @Test
    void filesOfOneReaderEachHaveTheirOwnWatermark() throws Exception {
        // Two files over the same time range, each longer than a read batch: one reader reads them in
        // turns. With one watermark for the reader, the second file's first batch would be late.
        int lines = OpenMetricsFileReader.LINES_PER_BATCH * 3 + 7;
        for (String name : new String[] {"a.om", "b.om"}) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < lines; i++) sb.append("m{f=\"").append(name).append("\"} 1 ").append(i).append('\n');
            Files.writeString(dir.resolve(name), sb);
        }
        StreamExecutionEnvironment env = FlinkTestSupport.env(1);
        WatermarkStrategy<Sample> eachEvent = WatermarkStrategy
                .<Sample>forGenerator(ctx -> new WatermarkOnEachEvent())
                .withTimestampAssigner((s, ts) -> s.timestampMs());
        List<Long> late = env.fromSource(OpenMetricsFileSource.of(dir.toUri().toString(), "t"), eachEvent, "om")
                .process(new ProcessFunction<Sample, Long>() {
                    long maxWatermarkSeen = Long.MIN_VALUE;

                    @Override
                    public void processElement(Sample s, Context ctx, Collector<Long> out) {
                        long wm = ctx.timerService().currentWatermark();
                        maxWatermarkSeen = Math.max(maxWatermarkSeen, wm);
                        if (s.timestampMs() < wm) out.collect(s.timestampMs());
                    }

                    @Override
                    public void close() {
                        // Proves the check above was live: watermarks moved while records still came.
                        if (maxWatermarkSeen < 1000) throw new IllegalStateException("watermark never advanced: " + maxWatermarkSeen);
                    }
                }).returns(Types.LONG)
                .executeAndCollect(10_000);
        assertEquals(0, late.size(), () -> late.size() + " late samples, first at " + late.get(0));
    }

    /** The tightest watermarks: each record's timestamp, at once. */
    static final class WatermarkOnEachEvent implements WatermarkGenerator<Sample> {
        @Override
        public void onEvent(Sample s, long ts, WatermarkOutput out) { out.emitWatermark(new Watermark(ts)); }

        @Override
        public void onPeriodicEmit(WatermarkOutput out) {}
    }

    @Test
    void theFinishedSourceEndsWithTheMaximumWatermark() throws Exception {
        Files.writeString(dir.resolve("x.om"), "a 1 100\nb 2 200\na 3 300\n");
        List<String> fired = samples(FlinkTestSupport.env(1), OpenMetricsFileSource.of(dir.resolve("x.om").toString(), "t"))
                .keyBy(s -> s.labels().metricName(), Types.STRING)
                .process(new KeyedProcessFunction<String, Sample, String>() {
                    @Override
                    public void processElement(Sample s, Context ctx, Collector<String> out) {
                        // Far beyond any sample: only the end-of-input watermark reaches it.
                        ctx.timerService().registerEventTimeTimer(s.timestampMs() + Duration.ofDays(365).toMillis());
                    }

                    @Override
                    public void onTimer(long ts, OnTimerContext ctx, Collector<String> out) {
                        out.collect(ctx.getCurrentKey() + "@" + ctx.timerService().currentWatermark());
                    }
                }).returns(Types.STRING)
                .executeAndCollect(100);
        List<String> sorted = new ArrayList<>(fired);
        sorted.sort(Comparator.naturalOrder());
        assertEquals(List.of("a@" + Long.MAX_VALUE, "a@" + Long.MAX_VALUE, "b@" + Long.MAX_VALUE), sorted);
    }

    @Test
    void prometheusTextFormatWithMillisecondTimestamps() throws Exception {
        Path file = dir.resolve("prom.txt");
        Files.write(file, "# TYPE up gauge\r\nup{job=\"x\"} 1 1700000000123\r\n".getBytes(StandardCharsets.UTF_8));
        OpenMetricsFileSource source = OpenMetricsFileSource.of(file.toString(), "t")
                .withTimestampUnit(io.flinkruler.openmetrics.OpenMetricsParser.TimestampUnit.MILLISECONDS);
        List<Sample> got = samples(FlinkTestSupport.env(1), source).executeAndCollect(10);
        assertEquals(List.of(new Sample("t", Labels.of("__name__", "up", "job", "x"), 1_700_000_000_123L, 1)), got);
    }
}
