package io.flinkruler.benchmarks;

import io.flinkruler.model.Labels;
import io.flinkruler.promql.eval.SeriesStore;
import java.util.List;
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
 * The append path of the per-series step: samples by label set into a {@link SeriesStore}, as the
 * operator appends a batch (a hash lookup of the labels per sample). One operation is one sample.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class SeriesStoreAppendBenchmark {
    private static final int SCRAPE = Workload.SERIES;
    private static final int FILL = Workload.SERIES * Workload.SAMPLES_PER_SERIES;
    /** What the shard keeps for a 10m range: 15 minutes. */
    private static final long RETENTION_MS = Workload.SAMPLES_PER_SERIES * Workload.STEP_MS;

    private Labels[] series;
    private SeriesStore steady;
    private long nextTs;

    @Setup
    public void setUp() {
        List<Labels> all = Workload.series();
        series = all.toArray(new Labels[0]);
        steady = Workload.store();
        nextTs = Workload.EVAL_TS + Workload.STEP_MS;
    }

    /**
     * Steady state: one scrape of all 10,000 series (one sample each) into a store that already holds
     * 15 minutes of them; at each whole minute (an evaluation of a 1m group) eviction of what falls out
     * of the retention, as the operator does after evaluating.
     */
    @Benchmark
    @OperationsPerInvocation(SCRAPE)
    public SeriesStore appendScrape() {
        long ts = nextTs;
        for (int s = 0; s < series.length; s++) steady.append(series[s], ts, s);
        if (ts % 60_000 == 0) steady.evictBefore(ts - RETENTION_MS + 1);
        nextTs = ts + Workload.STEP_MS;
        return steady;
    }

    /** From empty: 10,000 new series, then 60 samples each in time order (series creation, array growth). */
    @Benchmark
    @OperationsPerInvocation(FILL)
    public SeriesStore fillEmptyStore() {
        SeriesStore store = new SeriesStore();
        for (int k = 0; k < Workload.SAMPLES_PER_SERIES; k++) {
            long ts = Workload.FIRST_TS + k * Workload.STEP_MS;
            for (int s = 0; s < series.length; s++) store.append(series[s], ts, k);
        }
        return store;
    }
}
