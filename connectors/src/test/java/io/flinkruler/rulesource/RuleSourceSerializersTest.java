package io.flinkruler.rulesource;

import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.Rule;
import io.flinkruler.rules.RuleGroup;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.flinkruler.source.SerializersTest.roundTrip;
import static io.flinkruler.source.SerializersTest.snapshotRestores;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RuleSourceSerializersTest {
    static RuleGroup group(String name, String expr, int ruleLine, String sourceFile) {
        Rule rule = new Rule("job:up:sum", null, expr, Map.of("team", "a"), ruleLine, ruleLine + 1, 11);
        return new RuleGroup("t", "ns", name, 60_000L, -1L, 0, List.of(rule),
                List.of(RemoteWriteConfig.ofUrl("http://localhost:9009/api/v1/push")), sourceFile, Map.of("env", "dev"));
    }

    @Test
    void ruleGroupChangeRoundTrips() throws Exception {
        TypeSerializer<RuleGroupChange> serializer = TypeInformation.of(RuleGroupChange.class).createSerializer(new SerializerConfigImpl());
        RuleGroupChange added = RuleGroupChange.added(group("g", "sum(up)", 3, "f.yaml"), 99L);
        RuleGroupChange back = roundTrip(serializer, added);
        assertEquals(added, back);
        assertEquals(added.group().rules(), back.group().rules());
        RuleGroupChange deleted = RuleGroupChange.deleted("t/ns/g", 100L);
        RuleGroupChange deletedBack = roundTrip(serializer, deleted);
        assertEquals(deleted, deletedBack);
        assertNull(deletedBack.group());
        snapshotRestores(serializer);
    }

    @Test
    void changesAreConsistent() {
        assertThrows(IllegalArgumentException.class, () -> new RuleGroupChange(RuleGroupChange.Kind.ADDED, "t/ns/g", null, 0));
        assertThrows(IllegalArgumentException.class, () -> new RuleGroupChange(RuleGroupChange.Kind.CHANGED, "t/ns/other",
                group("g", "up", 1, ""), 0));
    }

    @Test
    void splitStateRoundTrips() throws Exception {
        RuleSourceSplit split = new RuleSourceSplit(Map.of("t/a/g", new EmittedGroup(-5L, "file:/r/t/a.yaml"),
                "t/b/h", new EmittedGroup(7L, "file:/r/t/b.yml")));
        assertEquals(split, RuleSourceSplitSerializer.INSTANCE.deserialize(1, RuleSourceSplitSerializer.INSTANCE.serialize(split)));
    }

    @Test
    void theContentHashFollowsEqualsNotPositions() {
        RuleGroup base = group("g", "sum(up)", 3, "a.yaml");
        assertEquals(RuleGroupHash.of(base), RuleGroupHash.of(group("g", "sum(up)", 30, "elsewhere.yaml")));
        assertNotEquals(RuleGroupHash.of(base), RuleGroupHash.of(group("g", "sum(up) > 0", 3, "a.yaml")));
        assertNotEquals(RuleGroupHash.of(base), RuleGroupHash.of(group("g2", "sum(up)", 3, "a.yaml")));
        RuleGroup otherUrl = new RuleGroup("t", "ns", "g", 60_000L, -1L, 0, base.rules(),
                List.of(RemoteWriteConfig.ofUrl("http://localhost:9010/push")), "a.yaml", Map.of("env", "dev"));
        assertNotEquals(RuleGroupHash.of(base), RuleGroupHash.of(otherUrl));
        RuleGroup otherInterval = new RuleGroup("t", "ns", "g", 30_000L, -1L, 0, base.rules(), base.remoteWrite(), "a.yaml", base.labels());
        assertNotEquals(RuleGroupHash.of(base), RuleGroupHash.of(otherInterval));
    }
}
