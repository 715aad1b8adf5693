package io.flinkruler.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.flinkruler.rules.RuleFileParser;
import io.flinkruler.rules.RuleGroup;
import io.flinkruler.rulesource.RuleGroupChange;
import io.flinkruler.storage.RuleGroupTimeline.Version;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class RuleGroupTimelineTest {
    private static RuleGroup group(String interval) {
        return RuleFileParser.parse("t", "a.yaml", "groups:\n  - name: g\n    interval: " + interval
                + "\n    rules:\n      - record: r\n        expr: up\n").groups().get(0);
    }

    @Test
    void effectiveFromIsTheFirstAlignedTimestampAfterTheScan() {
        RuleGroup g = group("1m");
        assertEquals(120_000, RuleGroupTimeline.effectiveFrom(RuleGroupChange.changed(g, 60_000), 60_000), "strictly after");
        assertEquals(120_000, RuleGroupTimeline.effectiveFrom(RuleGroupChange.changed(g, 119_999), 60_000));
        assertEquals(0, RuleGroupTimeline.effectiveFrom(RuleGroupChange.changed(g, -1), 60_000));
        assertEquals(Long.MIN_VALUE, RuleGroupTimeline.effectiveFrom(RuleGroupChange.added(g, Long.MIN_VALUE), 60_000),
                "the first load applies from the beginning");
    }

    @Test
    void versionsApplyFromTheirTimestampUntilTheNext() {
        RuleGroup v1 = group("1m");
        RuleGroup v2 = group("2m");
        RuleGroupTimeline t = RuleGroupTimeline.EMPTY.with(new Version(Long.MIN_VALUE, v1, false))
                .with(new Version(120_000, v2, false))
                .with(new Version(240_000, v2, true));
        assertSame(v1, t.at(0));
        assertSame(v1, t.at(119_999));
        assertSame(v2, t.at(120_000));
        assertNull(t.at(240_000));
        assertSame(v2, t.deletedAt(300_000), "the deleted group is kept for its staleness markers");
        assertNull(t.deletedAt(200_000));
        assertEquals(List.of(v1, v2), t.liveVersions());
    }

    @Test
    void aNewerChangeReplacesWhatWasPlannedFromItsTimeOn() {
        RuleGroup v1 = group("1m");
        RuleGroup v2 = group("2m");
        RuleGroup v3 = group("3m");
        RuleGroupTimeline t = RuleGroupTimeline.EMPTY.with(new Version(0, v1, false))
                .with(new Version(180_000, v2, false))
                .with(new Version(120_000, v3, false));
        assertEquals(List.of(v1, v3), t.liveVersions());
        assertSame(v3, t.at(200_000));
    }

    @Test
    void pruningKeepsWhatLaterEvaluationsNeed() {
        RuleGroup v1 = group("1m");
        RuleGroup v2 = group("2m");
        RuleGroupTimeline t = RuleGroupTimeline.EMPTY.with(new Version(0, v1, false)).with(new Version(120_000, v2, false));
        assertEquals(t, t.prunedAt(100_000, 0), "v1 is still in force after 100 s");
        assertEquals(List.of(v2), t.prunedAt(120_000, 0).liveVersions());
        RuleGroupTimeline deleted = t.with(new Version(240_000, v2, true));
        assertEquals(1, deleted.prunedAt(250_000, 600_000).versions().size(), "the tombstone stays during its grace period");
        assertNull(deleted.prunedAt(840_000, 600_000), "then the whole group is gone");
    }

    @Test
    void serializerRoundTrip() throws Exception {
        RuleGroupTimeline t = RuleGroupTimeline.EMPTY.with(new Version(Long.MIN_VALUE, group("1m"), false))
                .with(new Version(60_000, group("1m"), true));
        DataOutputSerializer out = new DataOutputSerializer(256);
        RuleGroupTimeline.Serializer.INSTANCE.serialize(t, out);
        assertEquals(t, RuleGroupTimeline.Serializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())));
    }
}
