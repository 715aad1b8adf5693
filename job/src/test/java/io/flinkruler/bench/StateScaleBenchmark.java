package io.flinkruler.bench;

import io.flinkruler.evaluation.EvaluationDefaults;
import io.flinkruler.job.operators.RuleBroadcast;
import io.flinkruler.job.operators.SeriesStepFunction;
import io.flinkruler.job.operators.ShardBatcher;
import io.flinkruler.job.records.PartialEvaluation;
import io.flinkruler.job.records.ShardBatch;
import io.flinkruler.job.state.ShardState;
import io.flinkruler.job.state.ShardStorage;
import io.flinkruler.model.Labels;
import io.flinkruler.rules.RuleFileParser;
import io.flinkruler.rules.RuleGroup;
import io.flinkruler.rulesource.RuleGroupChange;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/**
 * The per-series step as Flink runs it (the real operator in Flink's operator test harness, one subtask, heap or
 * RocksDB keyed state): routing of scrapes into shard state and the evaluation of many rules over many series.
 * Run by hand, not by the build (see README "State that scales"):
 *
 * <pre>
 * java -Xmx8g -cp "job/target/test-classes:job/target/classes:$(cat cp.txt)" io.flinkruler.bench.StateScaleBenchmark \
 *     --backend hashmap --series 1000000 --rules 1000 --shards 128 --rounds 24
 * </pre>
 *
 * Series: {@code bench_metric_<k>} for k in 0..metrics-1, labels {@code job} (10 values) and {@code instance}; one
 * sample per series every 15 s (a round). Rules, in groups of 10 with interval 1m, each on its own metric, in turn:
 * {@code sum by (job) (rate(m[5m]))}, {@code max by (job) (m)}, {@code sum(rate(m{job="job-3"}[5m]))},
 * {@code count(m > 100)}. With {@code --backend rocksdb}, RocksDB's files go to a new directory under
 * {@code java.io.tmpdir} (about a GB of disk for a million series). With {@code --selector regex} every selector
 * names its metric by regex instead ({@code {__name__=~"m"}}), which the store's metric-name index cannot serve.
 */
public final class StateScaleBenchmark {
    private static final String TENANT = "bench";
    private static final long ROUND_MS = 15_000;
    private static final long T0 = 1_700_000_000_000L / 3_600_000 * 3_600_000;
    private static final int BATCH = 512;

    public static void main(String[] args) throws Exception {
        String backend = "hashmap";
        int series = 1_000_000;
        int rules = 1000;
        int metrics = 1000;
        int shards = 128;
        int rounds = 24;
        boolean regex = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--backend" -> backend = args[++i];
                case "--series" -> series = Integer.parseInt(args[++i]);
                case "--rules" -> rules = Integer.parseInt(args[++i]);
                case "--metrics" -> metrics = Integer.parseInt(args[++i]);
                case "--shards" -> shards = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--selector" -> regex = args[++i].equals("regex");
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.printf("backend=%s series=%d rules=%d metrics=%d shards=%d rounds=%d selector=%s cores=%d load=%.1f%n", backend, series, rules,
                metrics, shards, rounds, regex ? "regex" : "name", Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        Labels[] labels = new Labels[series];
        int[] shardOf = new int[series];
        List<List<Integer>> seriesOfShard = new ArrayList<>();
        for (int s = 0; s < shards; s++) seriesOfShard.add(new ArrayList<>());
        for (int s = 0; s < series; s++) {
            labels[s] = Labels.of("__name__", "bench_metric_" + (s % metrics), "job", "job-" + (s / metrics) % 10, "instance", "host-" + s / metrics);
            shardOf[s] = ShardBatcher.shardOf(TENANT, labels[s], shards);
            seriesOfShard.get(shardOf[s]).add(s);
        }
        long heapBefore = usedHeapAfterGc();

        var operator = new CoBroadcastWithKeyedOperator<>(new SeriesStepFunction(new EvaluationDefaults(60_000, 0, 300_000)),
                List.of(RuleBroadcast.DESCRIPTOR));
        Path rocksDbDir = null;
        try (var h = new KeyedBroadcastOperatorTestHarness<>(operator, ShardBatch::shardKey, Types.STRING, 32768, 1, 0)) {
            if (backend.equals("rocksdb")) {
                EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend();
                // the harness's managed memory is a few hundred KB (RocksDB would flush its memtable on every write);
                // a TaskManager slot has hundreds of MB
                rocksDb.getMemoryConfiguration().setFixedMemoryPerSlot(MemorySize.parse("512mb"));
                rocksDbDir = Files.createTempDirectory("state-scale-rocksdb");
                rocksDb.setDbStoragePath(rocksDbDir.toString());
                h.setStateBackend(rocksDb);
            } else {
                h.setStateBackend(new HashMapStateBackend());
            }
            h.open();
            for (RuleGroup g : groups(rules, metrics, regex)) h.processBroadcastElement(RuleGroupChange.added(g, 0), 0);
            h.processBroadcastWatermark(Long.MAX_VALUE);

            long ingestNs = 0;
            long ingestedSamples = 0;
            long evalNs = 0;
            int evaluations = 0;
            long partials = 0;
            int measuredFrom = Math.max(0, rounds - 8); // steady state: the store is full (5m of 15s samples = 20 rounds)
            for (int r = 0; r < rounds; r++) {
                long ts = T0 + 1_000 + r * ROUND_MS;
                long start = System.nanoTime();
                for (int shard = 0; shard < shards; shard++) {
                    List<Integer> members = seriesOfShard.get(shard);
                    String key = ShardBatch.shardKey(TENANT, shard);
                    for (int from = 0; from < members.size(); from += BATCH) {
                        int n = Math.min(BATCH, members.size() - from);
                        Labels[] l = new Labels[n];
                        long[] t = new long[n];
                        double[] v = new double[n];
                        for (int i = 0; i < n; i++) {
                            int s = members.get(from + i);
                            l[i] = labels[s];
                            t[i] = ts;
                            v[i] = (r + 1) * (s % 200);
                        }
                        h.processElement(new ShardBatch(key, TENANT, l, t, v), ts);
                    }
                }
                long ingested = System.nanoTime() - start;
                long watermark = ts + ROUND_MS - 1_001; // the next round's time minus 1 ms: crosses each whole minute once
                boolean evaluates = Math.floorDiv(watermark, 60_000) > Math.floorDiv(ts - 1_001, 60_000);
                start = System.nanoTime();
                h.processWatermark(watermark);
                long watermarkNs = System.nanoTime() - start;
                if (r >= measuredFrom) {
                    ingestNs += ingested;
                    ingestedSamples += series;
                    if (evaluates) {
                        evalNs += watermarkNs;
                        evaluations++;
                        partials += h.getOutput().size();
                    }
                }
                h.getOutput().clear();
                System.out.printf("round %2d: ingest %7.1f ms (%5.2f M samples/s)%s%n", r, ingested / 1e6, series / (ingested / 1e9) / 1e6,
                        evaluates ? String.format(", evaluation %8.1f ms", watermarkNs / 1e6) : "");
            }
            long stateBytes = 0;
            long liveSeries = 0;
            long liveSamples = 0;
            KeyedStateBackend<String> keyed = h.getOperator().getKeyedStateBackend();
            DataOutputSerializer out = new DataOutputSerializer(1 << 20);
            for (int shard = 0; shard < shards; shard++) {
                // as the next evaluation sees it: on RocksDB with the samples since the last one appended
                ShardState s = ShardStorage.inspect(keyed, ShardBatch.shardKey(TENANT, shard));
                if (s == null) continue;
                out.clear();
                ShardState.Serializer.INSTANCE.serialize(s, out);
                stateBytes += out.length();
                liveSeries += s.store.seriesCount();
                liveSamples += s.store.sampleCount();
            }
            long heapAfter = usedHeapAfterGc();
            System.out.printf("RESULT backend=%s series=%d rules=%d shards=%d selector=%s%n", backend, series, rules, shards, regex ? "regex" : "name");
            System.out.printf("  ingest (steady state, last %d rounds): %.2f M samples/s (%.0f ns/sample)%n", rounds - measuredFrom,
                    ingestedSamples / (ingestNs / 1e9) / 1e6, (double) ingestNs / ingestedSamples);
            if (evaluations > 0) {
                System.out.printf("  evaluation of all %d rules over all shards: %.1f ms per evaluation timestamp (%d measured), %.3f ms per rule, "
                        + "%d partials per timestamp%n", rules, evalNs / 1e6 / evaluations, evaluations, evalNs / 1e6 / evaluations / rules, partials / evaluations);
            }
            System.out.printf("  state: %d series, %d samples (%.1f per series); serialized %.1f MB = %.0f bytes per series%n", liveSeries, liveSamples,
                    (double) liveSamples / liveSeries, stateBytes / 1e6, (double) stateBytes / liveSeries);
            if (rocksDbDir == null) {
                System.out.printf("  heap: %.0f MB more after loading = %.0f bytes per series (includes the benchmark's own label array)%n",
                        (heapAfter - heapBefore) / 1e6, (double) (heapAfter - heapBefore) / liveSeries);
            } else {
                // the state is off-heap: what RocksDB keeps on disk (compressed SST files, its log); memtables not included
                long onDisk = directorySize(rocksDbDir);
                System.out.printf("  RocksDB files (SST, log): %.0f MB = %.0f bytes per series%n", onDisk / 1e6, (double) onDisk / liveSeries);
            }
            System.out.printf("  load average at end: %.1f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static List<RuleGroup> groups(int rules, int metrics, boolean regex) {
        List<RuleGroup> out = new ArrayList<>();
        for (int g = 0; g * 10 < rules; g++) {
            StringBuilder y = new StringBuilder("groups:\n  - name: g" + g + "\n    interval: 1m\n    rules:\n");
            for (int i = g * 10; i < Math.min(rules, g * 10 + 10); i++) {
                String m = "bench_metric_" + (i % metrics);
                String sel = regex ? "{__name__=~\"" + m + "\"" : m + "{";
                String expr = switch (i % 4) {
                    case 0 -> "sum by (job) (rate(" + sel + "}[5m]))";
                    case 1 -> "max by (job) (" + sel + "})";
                    case 2 -> "sum(rate(" + sel + (regex ? "," : "") + "job=\"job-3\"}[5m]))";
                    default -> "count(" + sel + "} > 100)";
                };
                y.append("      - record: bench:rule_").append(i).append("\n        expr: '").append(expr).append("'\n");
            }
            var parsed = RuleFileParser.parse(TENANT, "bench.yaml", y.toString());
            if (!parsed.valid()) throw new IllegalStateException(parsed.problems() + "\n" + y);
            out.addAll(parsed.groups());
        }
        return out;
    }

    private static long directorySize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
