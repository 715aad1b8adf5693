package io.flinkruler.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.flinkruler.model.Labels;
import io.flinkruler.promql.eval.EvalOptions;
import io.flinkruler.promql.eval.EvalPlan;
import io.flinkruler.promql.eval.EvalResult;
import io.flinkruler.promql.eval.LeafValues;
import io.flinkruler.promql.eval.RuleStep;
import io.flinkruler.promql.eval.SeriesStep;
import io.flinkruler.promql.eval.SeriesStore;
import io.flinkruler.promql.parser.PromqlParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Serialized leaf values: the bytes java.io wrote before, and merging as reading-then-merging did. */
class ShardEvaluationTest {
    private static final long T = 1_700_000_040_000L;

    private static SeriesStore shard(int shard) {
        SeriesStore store = new SeriesStore();
        for (int s = 0; s < 50; s++) {
            Labels l = Labels.of("__name__", s % 2 == 0 ? "x_total" : "y", "job", "job-" + (s % 3), "instance",
                    "host-" + shard + "-" + s, "unicode", "é日" + s);
            for (int k = 0; k < 30; k++) {
                if ((s + k) % 7 == 0) continue;
                store.append(l, T - (29 - k) * 15_000L, shard * 1000.0 + s * 10 + k);
            }
        }
        return store;
    }

    private static byte[] javaIo(LeafValues v) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        v.writeTo(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static void check(String expr) throws Exception {
        EvalPlan plan = EvalPlan.compile(PromqlParser.parse(expr), EvalOptions.defaults(60_000));
        LeafValues expected = null;
        LeafValues merged = null;
        for (int shard = 0; shard < 3; shard++) {
            LeafValues values = SeriesStep.evaluate(plan, shard(shard), T);
            byte[] serialized = ShardEvaluation.serialize(values);
            assertArrayEquals(javaIo(values), serialized, expr);
            // exact but for the two non-ASCII characters per series (one extra byte for é, two for 日)
            assertEquals(serialized.length - 3 * seriesCount(values), values.serializedSizeHint(), expr);
            LeafValues read = LeafValues.readFrom(new DataInputStream(new ByteArrayInputStream(serialized)));
            if (expected == null) expected = read;
            else expected.mergeFrom(read);
            LeafValues before = merged;
            merged = ShardEvaluation.mergeSerialized(merged, serialized);
            if (before != null) assertSame(before, merged);
        }
        assertArrayEquals(javaIo(expected), javaIo(merged), expr);
        assertEquals(describe(RuleStep.evaluate(plan, expected, T)), describe(RuleStep.evaluate(plan, merged, T)), expr);
    }

    private static int seriesCount(LeafValues values) {
        String text = new String(ShardEvaluation.serialize(values), java.nio.charset.StandardCharsets.UTF_8);
        return text.split("é日", -1).length - 1;
    }

    private static String describe(EvalResult r) {
        StringBuilder sb = new StringBuilder(r.type() + " " + r.annotations() + "\n");
        for (EvalResult.Sample s : r.vector()) sb.append(s.labels()).append(' ').append(s.value()).append('\n');
        for (EvalResult.Series s : r.matrix()) {
            sb.append(s.labels()).append(' ').append(Arrays.toString(s.timestamps())).append(Arrays.toString(s.values())).append('\n');
        }
        return sb.toString();
    }

    @Test
    void valueLeavesRawLeavesAndAnnotationsSurviveTheTripAsBefore() throws Exception {
        check("sum by (job) (rate(x_total[5m]))");
        check("y / ignoring(unicode) y");
        check("max_over_time(y[5m:1m])");
        check("quantile_over_time(2, y[5m])");
        check("rate(y[5m])");
        check("x_total offset 1m");
    }

    @Test
    void nothingSerializedMergesToWhatWasThere() {
        assertNull(ShardEvaluation.mergeSerialized(null, new byte[0]));
    }
}
