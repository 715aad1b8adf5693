package io.flinkruler.evaluation;

import java.io.Serializable;

/** Settings that apply to every group that does not set its own. */
public record EvaluationDefaults(long evaluationIntervalMs, long queryOffsetMs, long lookbackDeltaMs) implements Serializable {
    public static EvaluationDefaults prometheus() { return new EvaluationDefaults(60_000, 0, 300_000); }
}
