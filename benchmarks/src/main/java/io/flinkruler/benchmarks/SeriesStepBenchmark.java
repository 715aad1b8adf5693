package io.flinkruler.benchmarks;

import io.flinkruler.promql.eval.EvalPlan;
import io.flinkruler.promql.eval.LeafValues;
import io.flinkruler.promql.eval.SeriesStep;
import io.flinkruler.promql.eval.SeriesStore;
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
 * The per-series step: {@link SeriesStep#evaluate} of one rule over a shard of 10,000 series
 * ({@link Workload}). One operation is one sample inside the selected ranges (range functions) or one
 * series visited (instant selector), so ops/s read as samples/s (series/s) and the GC profiler's
 * {@code gc.alloc.rate.norm} as bytes allocated per sample (per series).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class SeriesStepBenchmark {
    private static final int RATE_SAMPLES = Workload.FAMILY_SERIES * Workload.SAMPLES_IN_5M;
    private static final int MAX_OVER_TIME_SAMPLES = Workload.FAMILY_SERIES * Workload.SAMPLES_IN_10M;
    /** One job of ten, over all five families. */
    private static final int ONE_JOB_SAMPLES = Workload.SERIES / 10 * Workload.SAMPLES_IN_5M;

    private SeriesStore store;
    private EvalPlan rate;
    private EvalPlan sumByJobRate;
    private EvalPlan maxOverTime;
    private EvalPlan instantWithMatchers;
    private EvalPlan histogramQuantile;
    private EvalPlan oneJobWithoutName;
    private EvalPlan oneJobInstantWithoutName;

    @Setup
    public void setUp() throws Exception {
        store = Workload.store();
        rate = Workload.plan("rate(http_requests_total[5m])");
        sumByJobRate = Workload.plan("sum by (job) (rate(http_requests_total[5m]))");
        maxOverTime = Workload.plan("max_over_time(memory_bytes[10m])");
        instantWithMatchers = Workload.plan("up{job=~\"job-[1-3]\", instance!=\"host-7:9100\"}");
        histogramQuantile = Workload.plan("histogram_quantile(0.9, sum by (le) (rate(request_duration_seconds_bucket[5m])))");
        oneJobWithoutName = Workload.plan("sum(rate({job=\"job-3\"}[5m]))");
        oneJobInstantWithoutName = Workload.plan("count({job=\"job-3\"})");
    }

    /**
     * A selector without a metric name: 1,000 of the 10,000 series (all families) have job-3, x 20
     * samples in 5m. Without a label index every series of the shard is visited.
     */
    @Benchmark
    @OperationsPerInvocation(ONE_JOB_SAMPLES)
    public LeafValues oneJobWithoutName() {
        return SeriesStep.evaluate(oneJobWithoutName, store, Workload.EVAL_TS);
    }

    /**
     * The same 1,000 series as {@link #oneJobWithoutName()} by an instant selector (one lookback search
     * each), where finding the series is most of the work. Per selected series.
     */
    @Benchmark
    @OperationsPerInvocation(Workload.SERIES / 10)
    public LeafValues oneJobInstantWithoutName() {
        return SeriesStep.evaluate(oneJobInstantWithoutName, store, Workload.EVAL_TS);
    }

    /** 2,000 counters x 20 samples in 5m. */
    @Benchmark
    @OperationsPerInvocation(RATE_SAMPLES)
    public LeafValues rate() {
        return SeriesStep.evaluate(rate, store, Workload.EVAL_TS);
    }

    /** The same leaves as {@link #rate()}: the aggregation is the per-rule step's work. */
    @Benchmark
    @OperationsPerInvocation(RATE_SAMPLES)
    public LeafValues sumByJobRate() {
        return SeriesStep.evaluate(sumByJobRate, store, Workload.EVAL_TS);
    }

    /** 2,000 gauges x 40 samples in 10m. */
    @Benchmark
    @OperationsPerInvocation(MAX_OVER_TIME_SAMPLES)
    public LeafValues maxOverTime() {
        return SeriesStep.evaluate(maxOverTime, store, Workload.EVAL_TS);
    }

    /** 2,000 series visited (label matchers), about 600 selected, one lookback search each. Per series. */
    @Benchmark
    @OperationsPerInvocation(Workload.FAMILY_SERIES)
    public LeafValues instantSelectorPerSeries() {
        return SeriesStep.evaluate(instantWithMatchers, store, Workload.EVAL_TS);
    }

    /** 2,000 bucket series x 20 samples in 5m. */
    @Benchmark
    @OperationsPerInvocation(RATE_SAMPLES)
    public LeafValues histogramQuantile() {
        return SeriesStep.evaluate(histogramQuantile, store, Workload.EVAL_TS);
    }
}
