package io.flinkruler.rules;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable rule group of one tenant: Prometheus's rule group plus GEM's per-group {@code remote_write}.
 * The namespace is the rule file's name without its extension, as Mimir names namespaces.
 *
 * <p>{@link #equals} compares content only (tenant, namespace, name, timing, limit, labels, rules,
 * remote-write targets), not {@link #sourceFile()} or rule positions, so that a reload can tell changed
 * groups from unchanged ones.
 */
public final class RuleGroup implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String tenant;
    private final String namespace;
    private final String name;
    private final long intervalMs;
    private final long queryOffsetMs;
    private final int limit;
    private final List<Rule> rules;
    private final List<RemoteWriteConfig> remoteWrite;
    private final String sourceFile;
    private final Map<String, String> labels;

    public RuleGroup(String tenant, String namespace, String name, long intervalMs, long queryOffsetMs, int limit,
                     List<Rule> rules, List<RemoteWriteConfig> remoteWrite, String sourceFile, Map<String, String> labels) {
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.name = Objects.requireNonNull(name, "name");
        if (intervalMs < 0) throw new IllegalArgumentException("negative interval");
        if (queryOffsetMs < -1) throw new IllegalArgumentException("query offset must be -1 (default) or >= 0");
        this.intervalMs = intervalMs;
        this.queryOffsetMs = queryOffsetMs;
        this.limit = limit;
        this.rules = List.copyOf(rules);
        this.remoteWrite = List.copyOf(remoteWrite);
        this.sourceFile = sourceFile == null ? "" : sourceFile;
        this.labels = Collections.unmodifiableMap(new TreeMap<>(labels == null ? Map.of() : labels));
    }

    public String tenant() { return tenant; }
    public String namespace() { return namespace; }
    public String name() { return name; }
    /** The group's own interval; 0 = use the configured default ({@link #intervalMs(long)}). */
    public long intervalMs() { return intervalMs; }
    /** The group's own query offset; -1 = use the configured default ({@link #queryOffsetMs(long)}). */
    public long queryOffsetMs() { return queryOffsetMs; }
    /** Prometheus's {@code limit}: at most this many series per rule evaluation, 0 = no limit. */
    public int limit() { return limit; }
    /** All rules in file order, alerting ones included ({@link Rule#isAlerting()}); see {@link #recordingRules()}. */
    public List<Rule> rules() { return rules; }
    public List<RemoteWriteConfig> remoteWrite() { return remoteWrite; }
    public String sourceFile() { return sourceFile; }
    /** The group's {@code labels}; already merged into each {@link Rule#labels()}. */
    public Map<String, String> labels() { return labels; }

    /** tenant/namespace/name: unique among all loaded groups. */
    public String key() { return tenant + "/" + namespace + "/" + name; }

    public long intervalMs(long defaultIntervalMs) { return intervalMs > 0 ? intervalMs : defaultIntervalMs; }
    public long queryOffsetMs(long defaultQueryOffsetMs) { return queryOffsetMs >= 0 ? queryOffsetMs : defaultQueryOffsetMs; }

    /** The rules flink-ruler evaluates. */
    public List<Rule> recordingRules() {
        return rules.stream().filter(Rule::isRecording).toList();
    }

    public long alertingRuleCount() {
        return rules.stream().filter(Rule::isAlerting).count();
    }

    /**
     * The one message to log at load when some groups hold alerting rules (they are not evaluated),
     * empty when there are none.
     */
    public static Optional<String> alertingRulesNotice(Collection<RuleGroup> groups) {
        long alerting = 0;
        long groupsWithAlerts = 0;
        for (RuleGroup g : groups) {
            long n = g.alertingRuleCount();
            alerting += n;
            if (n > 0) groupsWithAlerts++;
        }
        if (alerting == 0) return Optional.empty();
        return Optional.of(alerting + " alerting rule(s) in " + groupsWithAlerts
                + " group(s) are not evaluated: flink-ruler evaluates recording rules only");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleGroup g && tenant.equals(g.tenant) && namespace.equals(g.namespace) && name.equals(g.name)
                && intervalMs == g.intervalMs && queryOffsetMs == g.queryOffsetMs && limit == g.limit
                && rules.equals(g.rules) && remoteWrite.equals(g.remoteWrite) && labels.equals(g.labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tenant, namespace, name, intervalMs, queryOffsetMs, limit, rules, remoteWrite, labels);
    }

    @Override
    public String toString() {
        return "RuleGroup{" + key() + ", " + rules.size() + " rule(s)"
                + (remoteWrite.isEmpty() ? "" : ", remote_write=" + remoteWrite) + "}";
    }
}
