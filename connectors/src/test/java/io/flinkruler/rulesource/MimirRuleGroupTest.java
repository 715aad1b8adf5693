package io.flinkruler.rulesource;

import io.flinkruler.rules.RuleFileParseResult;
import io.flinkruler.rules.RuleFileParser;
import io.flinkruler.rules.RuleGroup;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MimirRuleGroupTest {
    private static MimirRuleGroup sample() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("team", "web");
        return new MimirRuleGroup("latency", "app.rules", 30_000, List.of(
                new MimirRuleGroup.Rule("sum by (job) (rate(http_requests_total[5m]))", "job:requests:rate5m", "", 0, 0, labels, Map.of()),
                new MimirRuleGroup.Rule("up == 0", "", "InstanceDown", 300_000, 0, Map.of(), Map.of("summary", "down"))),
                "team-a", List.of(), 0, 60_000, false);
    }

    @Test
    void theBytesAreRulesRuleGroupDesc() {
        MimirRuleGroup g = new MimirRuleGroup("g", "ns", 60_000, List.of(
                new MimirRuleGroup.Rule("up", "r", "", 0, 0, Map.of("a", "b"), Map.of())), "t", List.of(), 0, 0, false);
        // field 1 "g", 2 "ns", 3 Duration{seconds: 60}, 4 RuleDesc{1 "up", 2 "r", 4 {}, 5 LabelPair{1 "a", 2 "b"}, 13 {}},
        // 6 "t", 11 {}, 13 {} (Mimir's gogoproto writes its non-nullable durations even when zero)
        assertEquals("0a0167" + "12026e73" + "1a02083c" + "2213" + "0a027570" + "120172" + "2200" + "2a060a01611201" + "62" + "6a00"
                + "320174" + "5a00" + "6a00", HexFormat.of().formatHex(g.encode()));
    }

    @Test
    void roundTrip() throws Exception {
        MimirRuleGroup g = sample();
        assertEquals(g, MimirRuleGroup.decode(g.encode()));
    }

    @Test
    void unknownFieldsAreSkipped() throws Exception {
        byte[] known = sample().encode();
        // field 9 (options, google.protobuf.Any) and an unknown field 99 (varint) in front
        byte[] extra = HexFormat.of().parseHex("4a050a03782f79" + "98060" + "1");
        byte[] both = new byte[extra.length + known.length];
        System.arraycopy(extra, 0, both, 0, extra.length);
        System.arraycopy(known, 0, both, extra.length, known.length);
        assertEquals(sample(), MimirRuleGroup.decode(both));
    }

    @Test
    void objectKeysAreBase64UrlWithPadding() {
        assertEquals("rules/team-a/YXBwLnJ1bGVz/bGF0ZW5jeT8-", MimirRuleGroup.objectKey("team-a", "app.rules", "latency?>"));
        assertEquals("app.rules", MimirRuleGroup.decodeName("YXBwLnJ1bGVz"));
        assertEquals("ns", MimirRuleGroup.decodeName("bnM="));
        assertEquals("ns", MimirRuleGroup.decodeName("bnM"));
        assertThrows(IllegalArgumentException.class, () -> MimirRuleGroup.decodeName("not base64!"));
    }

    @Test
    void theRuleFileFormParsesToTheSameGroup() {
        RuleFileParseResult r = RuleFileParser.parse("team-a", "app.rules.yaml", sample().toRuleFileYaml());
        assertTrue(r.valid(), r.problems().toString());
        RuleGroup g = r.groups().get(0);
        assertEquals("team-a/app.rules/latency", g.key());
        assertEquals(30_000, g.intervalMs());
        assertEquals(60_000, g.queryOffsetMs());
        assertEquals(Map.of("team", "web"), g.rules().get(0).labels());
        assertEquals("InstanceDown", g.rules().get(1).alert());
    }
}
