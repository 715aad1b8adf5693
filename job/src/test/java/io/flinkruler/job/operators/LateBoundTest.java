package io.flinkruler.job.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkruler.evaluation.CompiledGroup;
import io.flinkruler.evaluation.EvaluationDefaults;
import io.flinkruler.rules.Rule;
import io.flinkruler.rules.RuleGroup;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which samples the per-series step drops as late, given the watermark and the tenant's groups. */
class LateBoundTest {
    private static final EvaluationDefaults DEFAULTS = new EvaluationDefaults(60_000, 0, 300_000);
    private static final long T = 1_577_836_800_000L;

    private static CompiledGroup group(long intervalMs, long queryOffsetMs) {
        return CompiledGroup.compile(new RuleGroup("t1", "ns", "g" + intervalMs + "-" + queryOffsetMs, intervalMs, queryOffsetMs, 0,
                List.of(Rule.recording("c", "count(up)", Map.of())), List.of(), "t1/ns.yaml", Map.of()), DEFAULTS);
    }

    @Test
    void withoutQueryOffsetTheLastEvaluationAtOrBeforeTheWatermarkIsTheBound() {
        assertEquals(T, SeriesStepFunction.lateBound(List.of(group(60_000, 0)), T + 59_999));
        assertEquals(T, SeriesStepFunction.lateBound(List.of(group(60_000, 0)), T));
        assertEquals(T + 30_000, SeriesStepFunction.lateBound(List.of(group(60_000, 0), group(30_000, 0)), T + 59_999));
    }

    @Test
    void queryOffsetLetsSamplesComeThatMuchLater() {
        assertEquals(T - 120_000, SeriesStepFunction.lateBound(List.of(group(60_000, 120_000)), T + 1_000));
        // the group that queried latest decides: its evaluation would have seen the sample
        assertEquals(T, SeriesStepFunction.lateBound(List.of(group(60_000, 120_000), group(60_000, 0)), T + 1_000));
    }

    @Test
    void nothingIsLateBeforeTheFirstWatermarkOrWithoutRules() {
        assertEquals(Long.MIN_VALUE, SeriesStepFunction.lateBound(List.of(group(60_000, 0)), Long.MIN_VALUE));
        assertEquals(Long.MIN_VALUE, SeriesStepFunction.lateBound(List.of(), T));
    }
}
