package io.flinkruler.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.promql.eval.RuleStep;
import io.flinkruler.promql.eval.SeriesStep;
import io.flinkruler.promql.eval.SeriesStore;
import org.junit.jupiter.api.Test;

/** The benchmarks measure what they say: their rules select the series the operation counts assume. */
class WorkloadTest {
    private static int resultSeries(String expr, SeriesStore store) throws Exception {
        var plan = Workload.plan(expr);
        return RuleStep.evaluate(plan, SeriesStep.evaluate(plan, store, Workload.EVAL_TS), Workload.EVAL_TS).vector().size();
    }

    @Test
    void seriesStepRulesSelectWholeFamilies() throws Exception {
        SeriesStore store = Workload.store();
        assertEquals(Workload.SERIES, store.seriesCount());
        assertEquals((long) Workload.SERIES * Workload.SAMPLES_PER_SERIES, store.sampleCount());
        assertEquals(Workload.FAMILY_SERIES, resultSeries("rate(http_requests_total[5m])", store));
        assertEquals(Workload.FAMILY_SERIES, resultSeries("count_over_time(http_requests_total[5m]) == 20", store));
        assertEquals(Workload.FAMILY_SERIES, resultSeries("count_over_time(memory_bytes[10m]) == 40", store));
        assertEquals(10, resultSeries("sum by (job) (rate(http_requests_total[5m]))", store));
        int selected = resultSeries("up{job=~\"job-[1-3]\", instance!=\"host-7:9100\"}", store);
        assertTrue(selected > 500 && selected < 700, "selected " + selected);
        assertEquals(1, resultSeries("histogram_quantile(0.9, sum by (le) (rate(request_duration_seconds_bucket[5m])))", store));
    }

    @Test
    void ruleStepWorkloadsEvaluateToTheirExpectedSeries() throws Exception {
        int[] expected = {10, 5_000, 10};
        String[] rules = {"sum_by_job", "binary_one_to_one", "histogram_quantile"};
        for (int i = 0; i < rules.length; i++) {
            RuleStepBenchmark b = new RuleStepBenchmark();
            b.rule = rules[i];
            b.setUp();
            RuleStepBenchmark.Merged merged = new RuleStepBenchmark.Merged();
            merged.mergeForNextInvocation(b);
            assertEquals(expected[i], b.evaluate(merged).vector().size(), rules[i]);
        }
    }
}
