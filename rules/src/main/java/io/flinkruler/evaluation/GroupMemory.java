package io.flinkruler.evaluation;

import io.flinkruler.model.Labels;
import io.flinkruler.model.LabelsCodec;
import io.flinkruler.promql.eval.SeriesStore;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a rule group remembers between evaluations, the part of Prometheus's TSDB and rule-group
 * state that its later evaluations depend on:
 * <ul>
 *   <li>per rule, the series it produced at its last successful evaluation (staleness markers for
 *       series that vanish), with the identities (name and labels) of the rules they belong to, so
 *       that a new version of the group takes them over rule by rule;</li>
 *   <li>series of rules removed from the group, to be marked stale at the next evaluation;</li>
 *   <li>the recorded samples of the group's own output series that its rules read, within the
 *       group's retention, so that a rule sees the output of earlier rules (and its history);</li>
 *   <li>the last evaluation timestamp.</li>
 * </ul>
 */
public final class GroupMemory {
    private static final byte FORMAT = 1;

    /** Identities of the rules {@link #lastOutput} belongs to; null when unknown (state of an older format). */
    private List<String> ruleIdentities = new ArrayList<>();
    private final List<Set<Labels>> lastOutput = new ArrayList<>();
    /** Last output series of removed rules, marked stale at the next evaluation (sorted for stable output). */
    private final TreeSet<Labels> orphanedSeries = new TreeSet<>();
    private SeriesStore recorded = new SeriesStore();
    private long lastEvaluationMs = Long.MIN_VALUE;

    public int ruleCount() { return lastOutput.size(); }

    /** The series rule {@code rule} produced at its last successful evaluation (empty if none). */
    public Set<Labels> lastOutput(int rule) { return rule < lastOutput.size() ? lastOutput.get(rule) : Set.of(); }

    public void setLastOutput(int rule, Set<Labels> series) {
        while (lastOutput.size() <= rule) lastOutput.add(new HashSet<>());
        lastOutput.set(rule, series);
    }

    /** The group's own recorded series that its rules read. */
    public SeriesStore recorded() { return recorded; }

    /** Series of removed rules still to be marked stale. */
    public Set<Labels> orphanedSeries() { return orphanedSeries; }

    /** The last evaluation timestamp (not shifted by query_offset), or Long.MIN_VALUE before the first. */
    public long lastEvaluationMs() { return lastEvaluationMs; }

    void setLastEvaluationMs(long t) { lastEvaluationMs = t; }

    /** True when there is nothing to remember (no output yet, nothing pending). */
    public boolean isEmpty() {
        for (Set<Labels> s : lastOutput) if (!s.isEmpty()) return false;
        return orphanedSeries.isEmpty() && recorded.seriesCount() == 0;
    }

    /**
     * Takes the memory over to the rules of {@code group} if they differ from the rules it was built for,
     * as Prometheus's {@code Group.CopyState} does when a group changes: a rule of the new version
     * inherits the last output of the old rule with the same name and labels (duplicates pair up in
     * order); the last output of old rules left without a partner becomes orphaned, to be marked stale.
     */
    void adoptRules(CompiledGroup group) {
        List<String> now = group.ruleIdentities();
        if (now.equals(ruleIdentities)) return;
        if (ruleIdentities == null) {
            // state from before identities were kept: assume the rules did not change
            ruleIdentities = now;
            return;
        }
        Map<String, ArrayDeque<Integer>> oldIndexes = new HashMap<>();
        for (int i = 0; i < ruleIdentities.size(); i++) oldIndexes.computeIfAbsent(ruleIdentities.get(i), k -> new ArrayDeque<>()).add(i);
        List<Set<Labels>> adopted = new ArrayList<>(now.size());
        for (String identity : now) {
            ArrayDeque<Integer> q = oldIndexes.get(identity);
            Integer from = q == null ? null : q.poll();
            adopted.add(from == null ? new HashSet<>() : lastOutput(from));
        }
        for (ArrayDeque<Integer> unmatched : oldIndexes.values()) {
            for (int from : unmatched) orphanedSeries.addAll(lastOutput(from));
        }
        lastOutput.clear();
        lastOutput.addAll(adopted);
        ruleIdentities = now;
    }

    // ---- binary form (part of the per-rule step's keyed state) ----

    public void writeTo(DataOutput out) throws IOException {
        out.writeByte(FORMAT);
        out.writeLong(lastEvaluationMs);
        out.writeBoolean(ruleIdentities != null);
        if (ruleIdentities != null) {
            out.writeInt(ruleIdentities.size());
            for (String id : ruleIdentities) writeString(id, out);
        }
        out.writeInt(lastOutput.size());
        for (Set<Labels> series : lastOutput) writeSeries(series, out);
        writeSeries(orphanedSeries, out);
        recorded.writeTo(out);
    }

    public static GroupMemory readFrom(DataInput in) throws IOException {
        int format = in.readByte();
        if (format != FORMAT) throw new IOException("unknown group memory format " + format);
        GroupMemory m = new GroupMemory();
        m.lastEvaluationMs = in.readLong();
        if (in.readBoolean()) {
            int n = in.readInt();
            List<String> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) ids.add(readString(in));
            m.ruleIdentities = ids;
        } else {
            m.ruleIdentities = null;
        }
        int rules = in.readInt();
        for (int r = 0; r < rules; r++) m.lastOutput.add(readSeries(in, new HashSet<>()));
        readSeries(in, m.orphanedSeries);
        m.recorded = SeriesStore.readFrom(in);
        return m;
    }

    /** A memory of the first state format, which held only each rule's last output. */
    public static GroupMemory ofLastOutputs(List<Set<Labels>> lastOutputs) {
        GroupMemory m = new GroupMemory();
        m.ruleIdentities = null;
        m.lastOutput.addAll(lastOutputs);
        return m;
    }

    private static void writeSeries(Set<Labels> series, DataOutput out) throws IOException {
        out.writeInt(series.size());
        for (Labels l : series) LabelsCodec.write(l, out);
    }

    private static <S extends Set<Labels>> S readSeries(DataInput in, S into) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) into.add(LabelsCodec.read(in));
        return into;
    }

    /** Length-prefixed UTF-8: label values can exceed writeUTF's 64 KiB. */
    private static void writeString(String s, DataOutput out) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInput in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
