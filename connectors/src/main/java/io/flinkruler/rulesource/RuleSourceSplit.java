package io.flinkruler.rulesource;

import org.apache.flink.api.connector.source.SourceSplit;

import java.util.Map;
import java.util.TreeMap;

/**
 * The rule source's only split, carrying its state: every group emitted and not deleted since, by
 * key. A restored reader compares storage with this, so it neither emits a change twice nor misses
 * one that happened while the job was down.
 */
public record RuleSourceSplit(Map<String, EmittedGroup> emitted) implements SourceSplit {
    public static final String ID = "rule-storage";

    public RuleSourceSplit {
        emitted = java.util.Collections.unmodifiableMap(new TreeMap<>(emitted));
    }

    public static RuleSourceSplit initial() {
        return new RuleSourceSplit(Map.of());
    }

    @Override
    public String splitId() { return ID; }
}
