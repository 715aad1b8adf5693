package io.flinkruler.storage;

import io.flinkruler.flink.RecordSerializer;
import io.flinkruler.flink.RecordTypeInfo;
import io.flinkruler.job.records.RuleGroupSerializer;
import io.flinkruler.rules.RuleGroup;
import io.flinkruler.rulesource.RuleGroupChange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The versions of one rule group over evaluation time: each applies from an evaluation timestamp on, until the
 * next. A deletion is a version too (a tombstone that remembers the deleted group, for its staleness markers).
 *
 * <p>When a change applies is decided once, from the change itself, so that every operator instance that sees
 * it (in whatever order with the samples) switches at the same evaluation timestamp: see {@link #effectiveFrom}.
 * Immutable.
 */
public final class RuleGroupTimeline {
    /** {@code group} applies from {@code fromMs} on; a tombstone ({@code deleted}) stops the group from then on. */
    public record Version(long fromMs, RuleGroup group, boolean deleted) {}

    public static final RuleGroupTimeline EMPTY = new RuleGroupTimeline(List.of());

    private final List<Version> versions;

    private RuleGroupTimeline(List<Version> versions) {
        this.versions = List.copyOf(versions);
    }

    /**
     * The evaluation timestamp from which a change applies: the first one of the group's interval strictly after
     * the scan that saw it ({@code seenAtMs}, wall clock), so that evaluations of live data switch as a whole at
     * the next evaluation. A change with {@code seenAtMs == Long.MIN_VALUE} (the first load of rule storage)
     * applies from the beginning.
     */
    public static long effectiveFrom(RuleGroupChange change, long intervalMs) {
        if (change.seenAtMs() == Long.MIN_VALUE) return Long.MIN_VALUE;
        return Math.floorDiv(change.seenAtMs(), intervalMs) * intervalMs + intervalMs;
    }

    /** This timeline with {@code version} from its time on; versions planned from then or later are replaced. */
    public RuleGroupTimeline with(Version version) {
        List<Version> next = new ArrayList<>();
        for (Version v : versions) if (v.fromMs() < version.fromMs()) next.add(v);
        next.add(version);
        return new RuleGroupTimeline(next);
    }

    /** The group that applies at evaluation timestamp {@code t}; null before the first version and when deleted. */
    public RuleGroup at(long t) {
        Version v = versionAt(t);
        return v == null || v.deleted() ? null : v.group();
    }

    /** The group that a deletion in force at {@code t} removed; null when the group is not deleted at {@code t}. */
    public RuleGroup deletedAt(long t) {
        Version v = versionAt(t);
        return v != null && v.deleted() ? v.group() : null;
    }

    private Version versionAt(long t) {
        Version found = null;
        for (Version v : versions) {
            if (v.fromMs() > t) break;
            found = v;
        }
        return found;
    }

    /** The newest version (deleted or not), or null when the timeline is empty. */
    public Version latest() {
        return versions.isEmpty() ? null : versions.get(versions.size() - 1);
    }

    /** Every group that is or will be in force (tombstones excluded). */
    public List<RuleGroup> liveVersions() {
        List<RuleGroup> out = new ArrayList<>();
        for (Version v : versions) if (!v.deleted()) out.add(v.group());
        return out;
    }

    public List<Version> versions() { return versions; }

    /**
     * Without the versions no evaluation after {@code watermarkMs} can use (those superseded at or before it);
     * null when nothing is left, i.e. a deletion in force for longer than {@code tombstoneGraceMs} (operators
     * that still need the deleted group for staleness markers have had their timers fire by then).
     */
    public RuleGroupTimeline prunedAt(long watermarkMs, long tombstoneGraceMs) {
        int current = -1;
        for (int i = 0; i < versions.size(); i++) if (versions.get(i).fromMs() <= watermarkMs) current = i;
        if (current < 0) return this;
        Version v = versions.get(current);
        if (current == versions.size() - 1 && v.deleted() && v.fromMs() <= watermarkMs - tombstoneGraceMs) return null;
        return current == 0 ? this : new RuleGroupTimeline(versions.subList(current, versions.size()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleGroupTimeline t && t.versions.equals(versions);
    }

    @Override
    public int hashCode() { return versions.hashCode(); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (Version v : versions) {
            if (sb.length() > 1) sb.append(", ");
            sb.append(v.deleted() ? "deleted" : v.group().key()).append(" from ").append(v.fromMs() == Long.MIN_VALUE ? "start" : v.fromMs());
        }
        return sb.append(']').toString();
    }

    public static TypeInformation<RuleGroupTimeline> typeInfo() {
        return new RecordTypeInfo<>(RuleGroupTimeline.class, Serializer.INSTANCE);
    }

    /** Version 1: count, then per version: from, deleted flag, the group ({@link RuleGroupSerializer}). */
    public static final class Serializer extends RecordSerializer<RuleGroupTimeline> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        protected void write(RuleGroupTimeline timeline, DataOutputView out) throws IOException {
            out.writeByte(1);
            out.writeInt(timeline.versions.size());
            for (Version v : timeline.versions) {
                out.writeLong(v.fromMs());
                out.writeBoolean(v.deleted());
                RuleGroupSerializer.INSTANCE.serialize(v.group(), out);
            }
        }

        @Override
        protected RuleGroupTimeline read(DataInputView in) throws IOException {
            int format = in.readByte();
            if (format != 1) throw new IOException("unknown rule group timeline format " + format);
            int n = in.readInt();
            List<Version> versions = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long from = in.readLong();
                boolean deleted = in.readBoolean();
                versions.add(new Version(from, RuleGroupSerializer.INSTANCE.deserialize(in), deleted));
            }
            return new RuleGroupTimeline(versions);
        }

        @Override
        public TypeSerializerSnapshot<RuleGroupTimeline> snapshotConfiguration() { return new Snapshot(); }
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RuleGroupTimeline> {
        public Snapshot() { super(() -> Serializer.INSTANCE); }
    }
}
