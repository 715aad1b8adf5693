package io.flinkruler.job.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.flinkruler.evaluation.SeriesSelection;
import io.flinkruler.job.records.ShardBatch;
import io.flinkruler.model.Labels;
import io.flinkruler.promql.ast.LabelMatcher;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantSelectionsTest {
    private static final Labels UP_A = Labels.of("__name__", "up", "instance", "a");
    private static final Labels UP_B = Labels.of("__name__", "up", "instance", "b");
    private static final Labels OTHER = Labels.of("__name__", "other", "instance", "a");
    private static final SeriesSelection UP_ONLY = SeriesSelection.ofSelectors(List.of(
            List.of(new LabelMatcher(LabelMatcher.Type.EQ, "__name__", "up"))));

    @Test
    void keepsOnlyTheSamplesOfSelectedSeriesInOrder() {
        ShardBatch batch = new ShardBatch("t#0", "t", new Labels[] {UP_A, OTHER, OTHER, UP_B, OTHER},
                new long[] {1, 2, 3, 4, 5}, new double[] {10, 20, 30, 40, 50});
        ShardBatch kept = TenantSelections.selectedOnly(batch, UP_ONLY);
        assertArrayEquals(new Labels[] {UP_A, UP_B}, kept.series());
        assertArrayEquals(new long[] {1, 4}, kept.timestampsMs());
        assertArrayEquals(new double[] {10, 40}, kept.values());
        assertEquals("t#0", kept.shardKey());
    }

    @Test
    void aBatchOfSelectedSeriesIsPassedOnAsItIs() {
        ShardBatch batch = new ShardBatch("t#0", "t", new Labels[] {UP_A, UP_A, UP_B}, new long[] {1, 2, 3}, new double[] {1, 2, 3});
        assertSame(batch, TenantSelections.selectedOnly(batch, UP_ONLY));
    }
}
