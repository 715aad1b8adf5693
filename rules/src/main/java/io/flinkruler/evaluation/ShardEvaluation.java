package io.flinkruler.evaluation;

import io.flinkruler.promql.eval.EvalPlan;
import io.flinkruler.promql.eval.LeafValues;
import io.flinkruler.promql.eval.SeriesStep;
import io.flinkruler.promql.eval.SeriesStore;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The per-series step of a whole group on one shard: for each rule, the leaf values of the shard's
 * series at the group's query timestamp, serialized for the trip to the per-rule step.
 */
public final class ShardEvaluation {
    private static final byte[] NOTHING = new byte[0];

    private ShardEvaluation() {}

    public static byte[][] evaluate(CompiledGroup group, SeriesStore store, long evaluationTimestampMs) {
        long queryTs = group.queryTimestamp(evaluationTimestampMs);
        byte[][] perRule = new byte[group.ruleCount()][];
        for (int i = 0; i < perRule.length; i++) {
            EvalPlan plan = group.plan(i);
            if (plan == null) {
                perRule[i] = NOTHING;
                continue;
            }
            LeafValues values = SeriesStep.evaluate(plan, store, queryTs);
            perRule[i] = values.isEmpty() ? NOTHING : serialize(values);
        }
        return perRule;
    }

    /** The leaf values in {@link LeafValues#writeTo} form. */
    public static byte[] serialize(LeafValues values) {
        try {
            ByteArrayDataOutput out = new ByteArrayDataOutput(values.serializedSizeHint());
            values.writeTo(out);
            return out.takeBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Merges a shard's serialized leaf values into {@code into} (null = start a new one); returns the result. */
    public static LeafValues mergeSerialized(LeafValues into, byte[] serialized) {
        if (serialized.length == 0) return into;
        try {
            return LeafValues.readFrom(new ByteArrayDataInput(serialized), into);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
