package io.flinkruler.evaluation;

/** A rule whose result was discarded at one evaluation (over its limit, duplicate series, ...). */
public record RuleError(String groupKey, int ruleIndex, String record, long evaluationTimestampMs, String message) {
    @Override
    public String toString() {
        return "group " + groupKey + " rule " + (ruleIndex + 1) + " (" + record + ") at " + evaluationTimestampMs + ": " + message;
    }
}
