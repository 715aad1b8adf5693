package io.flinkruler.rulesource;

import io.flinkruler.source.FlinkTestSupport;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import io.flinkruler.source.GeneratorOptions;
import io.flinkruler.source.GeneratorSource;
import io.flinkruler.source.Sample;
import java.util.ArrayList;
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
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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

    /**
     * Event time of an operator fed by samples and by the broadcast rules: the continuous rule source must neither
     * hold it back once the rules are loaded, nor push it to the end of time while every sample input is idle.
     * The live generator emits a round a second and is idle (200 ms timeout) in between; were the rule source's
     * watermark the maximum, the operator's clock would jump there in each pause and the next round would be late;
     * were the rule input not idle, no timer would fire.
     */
    @Test
    void loadedRulesNeitherHoldBackNorRunAheadOfIdleSamples() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            write("t/rules.yaml", group("g", "1m"));
            StreamExecutionEnvironment env = FlinkTestSupport.env(1);
            // endless: a finishing source would end with the maximum watermark and release every timer anyway
            GeneratorOptions options = GeneratorOptions.live("t", 1, Duration.ofSeconds(1));
            DataStream<Sample> samples = env.fromSource(new GeneratorSource(options),
                    WatermarkStrategy.<Sample>forBoundedOutOfOrderness(Duration.ZERO)
                            .withTimestampAssigner((sample, previous) -> sample.timestampMs())
                            .withIdleness(Duration.ofMillis(200)),
                    "samples");
            MapStateDescriptor<String, String> noState = new MapStateDescriptor<>("rules", Types.STRING, Types.STRING);
            BroadcastStream<RuleGroupChange> rules = rules(env, RuleSource.continuous(root.toString(), Duration.ofMillis(100)))
                    .broadcast(noState);
            DataStream<String> outcomes = samples
                    .keyBy(sample -> sample.labels().toString(), Types.STRING)
                    .connect(rules)
                    .process(new KeyedBroadcastProcessFunction<String, Sample, RuleGroupChange, String>() {
                        @Override
                        public void processElement(Sample sample, ReadOnlyContext ctx, Collector<String> out) {
                            if (sample.timestampMs() <= ctx.currentWatermark()) out.collect("late at watermark " + ctx.currentWatermark());
                            else ctx.timerService().registerEventTimeTimer(sample.timestampMs());
                        }

                        @Override
                        public void processBroadcastElement(RuleGroupChange change, Context ctx, Collector<String> out) {}

                        @Override
                        public void onTimer(long ts, OnTimerContext ctx, Collector<String> out) { out.collect("evaluated"); }
                    }, Types.STRING);
            // one outcome per sample; a round is evaluated once the next one's watermark passes it, after a pause
            int expected = 3 * options.seriesPerRound();
            List<String> got = new ArrayList<>();
            try (CloseableIterator<String> it = outcomes.executeAndCollect()) {
                while (got.size() < expected) got.add(it.next());
            }
            assertEquals(List.of("evaluated"), got.stream().distinct().toList(), "late samples: " + got);
        });
    }
}
