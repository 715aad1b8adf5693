package io.flinkruler.rulesource;

import io.flinkruler.source.FlinkTestSupport;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RuleSourceTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = FlinkTestSupport.miniCluster();

    @TempDir
    Path root;

    private void write(String relative, String text) throws Exception {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static String group(String name, String interval) {
        return "groups:\n  - name: " + name + "\n    interval: " + interval + "\n    rules: []\n";
    }

    private static DataStream<RuleGroupChange> rules(StreamExecutionEnvironment env, RuleSource source) {
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "rules").setParallelism(1);
    }

    @Test
    void onceLoadsEveryTenantAndFinishes() throws Exception {
        write("team-a/rules.yaml", group("g1", "1m"));
        write("team-b/other.yml", group("g2", "30s"));
        List<RuleGroupChange> got = rules(FlinkTestSupport.env(2), RuleSource.once(root.toUri().toString())).executeAndCollect(100);
        assertEquals(List.of("ADDED team-a/rules/g1", "ADDED team-b/other/g2"), got.stream().map(Object::toString).toList());
        assertEquals(30_000L, got.get(1).group().intervalMs());
    }

    @Test
    void continuousSeesFilesChangeAndDisappear() throws Exception {
        write("t/rules.yaml", group("g", "1m"));
        RuleSource source = RuleSource.continuous(root.toString(), Duration.ofMillis(50));
        try (CloseableIterator<RuleGroupChange> it = rules(FlinkTestSupport.env(1), source).executeAndCollect()) {
            assertEquals("ADDED t/rules/g", it.next().toString());
            write("t/rules.yaml", group("g", "10m"));
            RuleGroupChange changed = it.next();
            assertEquals("CHANGED t/rules/g", changed.toString());
            assertEquals(600_000L, changed.group().intervalMs());
            Files.delete(root.resolve("t/rules.yaml"));
            assertEquals("DELETED t/rules/g", it.next().toString());
        }
    }

    @Test
    void theLoadedRulesReleaseEventTimeWithNoWatermarksStrategy() throws Exception {
        // The source never finishes, so only the watermark the reader emits can fire these timers.
        write("t/rules.yaml", group("g", "1m"));
        RuleSource source = RuleSource.continuous(root.toString(), Duration.ofSeconds(1));
        DataStream<String> fired = rules(FlinkTestSupport.env(1), source)
                .keyBy(change -> change.groupKey(), Types.STRING)
                .process(new KeyedProcessFunction<String, RuleGroupChange, String>() {
                    @Override
                    public void processElement(RuleGroupChange change, Context ctx, Collector<String> out) {
                        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE - 1);
                    }

                    @Override
                    public void onTimer(long ts, OnTimerContext ctx, Collector<String> out) {
                        out.collect(ctx.getCurrentKey() + " at watermark " + ctx.timerService().currentWatermark());
                    }
                }).returns(Types.STRING);
        try (CloseableIterator<String> it = fired.executeAndCollect()) {
            assertEquals("t/rules/g at watermark " + Long.MAX_VALUE, it.next());
        }
    }
}
