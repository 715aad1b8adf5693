package io.flinkruler.benchmarks;

import io.flinkruler.evaluation.ShardEvaluation;
import io.flinkruler.model.Labels;
import io.flinkruler.promql.eval.EvalException;
import io.flinkruler.promql.eval.EvalPlan;
import io.flinkruler.promql.eval.EvalResult;
import io.flinkruler.promql.eval.LeafValues;
import io.flinkruler.promql.eval.RuleStep;
import io.flinkruler.promql.eval.SeriesStep;
import io.flinkruler.promql.eval.SeriesStore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-rule step: the leaf values of 10,000 series, computed by four shards and serialized as the
 * job ships them ({@link #serializePartials}), merged ({@link #mergePartials}) and evaluated ({@link #evaluate}: aggregation,
 * one-to-one binary operation, histogram_quantile over an aggregation). One operation is one leaf
 * series, so ops/s read as series/s and {@code gc.alloc.rate.norm} as bytes per series.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class RuleStepBenchmark {
    private static final int SERIES = 10_000;
    private static final int SHARDS = 4;
    private static final long STEP_MS = 15_000;
    private static final long EVAL_TS = Workload.EVAL_TS;

    @Param({"sum_by_job", "binary_one_to_one", "histogram_quantile"})
    public String rule;

    private EvalPlan plan;
    private LeafValues[] shardValues;
    private byte[][] partials;

    @Setup
    public void setUp() throws Exception {
        plan = Workload.plan(switch (rule) {
            case "sum_by_job" -> "sum by (job) (rate(x_total[5m]))";
            case "binary_one_to_one" -> "rate(a_total[5m]) / rate(b_total[5m])";
            case "histogram_quantile" -> "histogram_quantile(0.9, sum by (job, le) (rate(h_bucket[5m])))";
            default -> throw new IllegalArgumentException(rule);
        });
        SeriesStore[] shards = new SeriesStore[SHARDS];
        for (int i = 0; i < SHARDS; i++) shards[i] = new SeriesStore();
        for (int s = 0; s < SERIES; s++) {
            Labels l = labels(s);
            SeriesStore shard = shards[Math.floorMod(l.hashCode(), SHARDS)];
            for (int k = 0; k < 21; k++) shard.append(l, EVAL_TS - (20 - k) * STEP_MS, 100.0 * (s % 10 + 1) * (k + 1));
        }
        shardValues = new LeafValues[SHARDS];
        partials = new byte[SHARDS][];
        for (int i = 0; i < SHARDS; i++) {
            shardValues[i] = SeriesStep.evaluate(plan, shards[i], EVAL_TS);
            partials[i] = ShardEvaluation.serialize(shardValues[i]);
        }
    }

    private Labels labels(int s) {
        String job = "job-" + (s % 10);
        return switch (rule) {
            case "sum_by_job" -> Labels.of("__name__", "x_total", "job", job, "instance", "host-" + s);
            // 5,000 of each name with the same other labels: every a has its b
            case "binary_one_to_one" -> Labels.of("__name__", s % 2 == 0 ? "a_total" : "b_total", "job", "job-" + (s / 2 % 10),
                    "instance", "host-" + s / 2);
            // 1,000 histograms of 10 buckets
            default -> Labels.of("__name__", "h_bucket", "job", "job-" + (s / 10 % 10), "instance", "host-" + s / 10,
                    "le", s % 10 == 9 ? "+Inf" : String.valueOf(0.001 * Math.pow(2, s % 10)));
        };
    }

    /**
     * Leaf values merged afresh before every invocation of {@link #evaluate}: the per-rule step never
     * evaluates the same leaves twice. The merge's allocations count in evaluate's gc.alloc.rate.norm
     * (JMH measures the thread, setup included); subtract {@link #mergePartials}'s.
     */
    @State(Scope.Thread)
    public static class Merged {
        LeafValues values;

        @Setup(Level.Invocation)
        public void mergeForNextInvocation(RuleStepBenchmark benchmark) {
            values = benchmark.merge();
        }
    }

    LeafValues merge() {
        LeafValues into = null;
        for (byte[] p : partials) into = ShardEvaluation.mergeSerialized(into, p);
        return into;
    }

    /** Aggregation / operators / functions above the leaves of 10,000 series. */
    @Benchmark
    @OperationsPerInvocation(SERIES)
    public EvalResult evaluate(Merged merged) throws EvalException {
        return RuleStep.evaluate(plan, merged.values, EVAL_TS);
    }

    /** Deserializing and merging the four shards' partials of 10,000 series. */
    @Benchmark
    @OperationsPerInvocation(SERIES)
    public LeafValues mergePartials() {
        return merge();
    }

    /** Serializing the four shards' leaf values of 10,000 series, as the shards do before shipping them. */
    @Benchmark
    @OperationsPerInvocation(SERIES)
    public int serializePartials() {
        int bytes = 0;
        for (LeafValues v : shardValues) bytes += ShardEvaluation.serialize(v).length;
        return bytes;
    }
}
