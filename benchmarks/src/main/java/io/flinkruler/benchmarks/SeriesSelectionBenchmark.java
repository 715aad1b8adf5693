package io.flinkruler.benchmarks;

import io.flinkruler.evaluation.CompiledGroup;
import io.flinkruler.evaluation.EvaluationDefaults;
import io.flinkruler.evaluation.SeriesSelection;
import io.flinkruler.model.Labels;
import io.flinkruler.rules.Rule;
import io.flinkruler.rules.RuleGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link SeriesSelection} over 1,000 groups of 10 recording rules (11 selectors each: metric names of
 * their own, one name-less selector per group on one of 100 jobs), as the job would ask it for every
 * incoming sample. {@link #selectsSelected} and {@link #selectsUnselected}: one operation is one call;
 * {@link #build}: one operation is building the selection from the compiled groups.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class SeriesSelectionBenchmark {
    private static final int GROUPS = 1_000;
    private static final int SAMPLES = 4_096;

    private List<CompiledGroup> groups;
    private SeriesSelection selection;
    private Labels[] selected;
    private Labels[] unselected;

    @Setup
    public void setUp() {
        groups = new ArrayList<>(GROUPS);
        for (int g = 0; g < GROUPS; g++) groups.add(group(g));
        selection = SeriesSelection.of(groups);
        SplittableRandom random = new SplittableRandom(1);
        selected = new Labels[SAMPLES];
        unselected = new Labels[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            int g = random.nextInt(GROUPS);
            String job = "job-" + (g % 100);
            String instance = "host-" + random.nextInt(1_000) + ":9100";
            selected[i] = switch (i % 4) {
                case 0 -> Labels.of("__name__", "app_" + g + "_requests_" + (i % 7) + "_total", "job", job, "instance", instance, "code", "503");
                case 1 -> Labels.of("__name__", "app_" + g + "_seconds_bucket", "job", job, "instance", instance, "le", "0.5");
                case 2 -> Labels.of("__name__", "anything_" + i, "job", job, "instance", instance, "env", "prod");
                default -> Labels.of("__name__", "app_" + g + "_up", "job", job, "instance", instance);
            };
            unselected[i] = switch (i % 4) {
                case 0 -> Labels.of("__name__", "app_" + g + "_requests_" + (i % 7) + "_total", "job", job, "instance", instance, "code", "200");
                case 1 -> Labels.of("__name__", "app_" + g + "_seconds_bucket", "job", "other", "instance", instance, "le", "0.5");
                case 2 -> Labels.of("__name__", "anything_" + i, "job", job, "instance", instance, "env", "dev");
                default -> Labels.of("__name__", "node_cpu_seconds_total", "job", "node", "instance", instance, "cpu", "0", "mode", "idle");
            };
            if (!selection.selects(selected[i]) || selection.selects(unselected[i])) throw new IllegalStateException("workload " + i);
        }
    }

    private static CompiledGroup group(int g) {
        String app = "app_" + g;
        String job = "job-" + (g % 100);
        List<Rule> rules = new ArrayList<>();
        for (int r = 0; r < 7; r++) {
            rules.add(Rule.recording("job:" + app + "_" + r + ":rate5m",
                    "sum by (job) (rate(" + app + "_requests_" + r + "_total{code=~\"5..\"}[5m]))", Map.of()));
        }
        rules.add(Rule.recording("job:" + app + ":p90",
                "histogram_quantile(0.9, sum by (le) (rate(" + app + "_seconds_bucket{job=\"" + job + "\"}[5m])))", Map.of()));
        rules.add(Rule.recording("job:" + app + ":prod_series", "count({job=\"" + job + "\", env=\"prod\"})", Map.of()));
        rules.add(Rule.recording("job:" + app + ":errors_per_up",
                "sum(rate(" + app + "_requests_0_total{code=~\"5..\"}[5m])) / sum(" + app + "_up)", Map.of()));
        RuleGroup group = new RuleGroup("t1", "ns", "g" + g, 60_000, -1, 0, rules, List.of(), "t1/ns.yaml", Map.of());
        return CompiledGroup.compile(group, EvaluationDefaults.prometheus());
    }

    /** Series some rule reads: by metric name (regex and equality matchers checked) or by job and env. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public int selectsSelected() {
        int n = 0;
        for (Labels l : selected) if (selection.selects(l)) n++;
        return n;
    }

    /** Series no rule reads: known names with other label values, unknown names. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public int selectsUnselected() {
        int n = 0;
        for (Labels l : unselected) if (selection.selects(l)) n++;
        return n;
    }

    /** Rebuilding the selection of all 1,000 groups (when a group changes). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public SeriesSelection build() {
        return SeriesSelection.of(groups);
    }
}
