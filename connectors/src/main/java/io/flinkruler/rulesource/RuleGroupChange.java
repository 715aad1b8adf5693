package io.flinkruler.rulesource;

import io.flinkruler.rules.RuleGroup;
import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.Objects;

/**
 * A rule group appeared, changed or disappeared in rule storage. {@code group} is the new content,
 * null when {@link Kind#DELETED}; {@code seenAtMs} is the wall-clock time of the scan that saw it
 * (diagnostics only: rule changes are not event-time data).
 */
@TypeInfo(RuleGroupChangeTypeInfoFactory.class)
public record RuleGroupChange(Kind kind, String groupKey, RuleGroup group, long seenAtMs) {
    public enum Kind { ADDED, CHANGED, DELETED }

    public RuleGroupChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(groupKey, "groupKey");
        if ((group == null) != (kind == Kind.DELETED)) {
            throw new IllegalArgumentException(kind + " change of " + groupKey + (group == null ? " needs" : " must not have") + " a group");
        }
        if (group != null && !group.key().equals(groupKey)) {
            throw new IllegalArgumentException("group key " + groupKey + " does not match the group's " + group.key());
        }
    }

    public static RuleGroupChange added(RuleGroup group, long seenAtMs) {
        return new RuleGroupChange(Kind.ADDED, group.key(), group, seenAtMs);
    }

    public static RuleGroupChange changed(RuleGroup group, long seenAtMs) {
        return new RuleGroupChange(Kind.CHANGED, group.key(), group, seenAtMs);
    }

    public static RuleGroupChange deleted(String groupKey, long seenAtMs) {
        return new RuleGroupChange(Kind.DELETED, groupKey, null, seenAtMs);
    }

    @Override
    public String toString() {
        return kind + " " + groupKey;
    }
}
