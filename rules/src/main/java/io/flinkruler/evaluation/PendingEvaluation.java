package io.flinkruler.evaluation;

import io.flinkruler.promql.eval.LeafValues;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The shards' partial results of one group evaluation, merged as they arrive. Shards evaluate the
 * group version they know when the watermark passes; a rule change that reaches them at different
 * moments can make partials of one timestamp come from different versions, whose leaves do not fit
 * together. Such an evaluation (or one whose version is not the group's current version when it is
 * due) cannot be completed and is skipped, the way a Prometheus group that is being replaced
 * misses an evaluation.
 */
public final class PendingEvaluation {
    private final int groupVersion;
    private boolean mixedVersions;
    /** Per rule, the merged leaf values (null while no shard sent any); null once versions mixed. */
    private LeafValues[] merged;

    public PendingEvaluation(int groupVersion, int ruleCount) {
        this.groupVersion = groupVersion;
        this.merged = new LeafValues[ruleCount];
    }

    public int groupVersion() { return groupVersion; }

    /** Adds one shard's serialized leaf values per rule, computed from group version {@code version}. */
    public void add(int version, byte[][] leafValuesPerRule) {
        if (mixedVersions) return;
        if (version != groupVersion || leafValuesPerRule.length != merged.length) {
            mixedVersions = true;
            merged = null;
            return;
        }
        for (int i = 0; i < merged.length; i++) merged[i] = ShardEvaluation.mergeSerialized(merged[i], leafValuesPerRule[i]);
    }

    /**
     * The merged leaf values per rule, if every shard evaluated exactly {@code group}'s version;
     * null when the evaluation cannot be completed.
     */
    public LeafValues[] mergedFor(CompiledGroup group) {
        if (mixedVersions || groupVersion != group.version() || merged.length != group.ruleCount()) return null;
        return merged;
    }

    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(groupVersion);
        out.writeBoolean(mixedVersions);
        if (mixedVersions) return;
        out.writeInt(merged.length);
        for (LeafValues v : merged) {
            out.writeBoolean(v != null);
            if (v != null) v.writeTo(out);
        }
    }

    public static PendingEvaluation readFrom(DataInput in) throws IOException {
        int version = in.readInt();
        if (in.readBoolean()) {
            PendingEvaluation p = new PendingEvaluation(version, 0);
            p.mixedVersions = true;
            p.merged = null;
            return p;
        }
        PendingEvaluation p = new PendingEvaluation(version, in.readInt());
        for (int r = 0; r < p.merged.length; r++) p.merged[r] = in.readBoolean() ? LeafValues.readFrom(in) : null;
        return p;
    }
}
