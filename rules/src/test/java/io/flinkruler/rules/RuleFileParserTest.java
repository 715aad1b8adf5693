package io.flinkruler.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleFileParserTest {
    private static final String FILE = "rules/team-a/recording.yaml";

    private static RuleFileParseResult parse(String yaml) {
        return RuleFileParser.parse("team-a", FILE, yaml);
    }

    /** The problems as {@code line:column: message}, the file name being the same everywhere. */
    private static List<String> problems(String yaml) {
        RuleFileParseResult result = parse(yaml);
        for (Problem p : result.problems()) assertEquals(FILE, p.file());
        return result.problems().stream().map(p -> p.line() + ":" + p.column() + ": " + p.message()).toList();
    }

    @Test
    void parsesGroupsWithEveryField() {
        RuleFileParseResult result = parse("""
                groups:
                  - name: group_one
                    interval: 5m
                    query_offset: 30s
                    limit: 10
                    labels:
                      team: a
                      env: prod
                    rules:
                      - expr: 'rate(prometheus_remote_storage_samples_in_total[5m])'
                        record: 'prometheus_remote_storage_samples_in_total:rate5m'
                        labels:
                          env: dev
                  - name: group_two
                    rules:
                      - record: sum_up
                        expr: "sum(up)"
                      - alert: HighErrorRate
                        expr: sum(rate(errors_total[5m])) > 1
                        for: 10m
                        keep_firing_for: 5m
                        labels: {severity: page}
                        annotations: {summary: "too many errors"}
                    remote_write:
                      - url: 'http://user:pass@example.com/api/v1/push'
                """);
        assertEquals(List.of(), result.problems());
        assertEquals(List.of(), result.warnings());
        assertTrue(result.valid());
        assertEquals(2, result.groups().size());

        RuleGroup one = result.groups().get(0);
        assertEquals("team-a", one.tenant());
        assertEquals("recording", one.namespace());
        assertEquals("group_one", one.name());
        assertEquals("team-a/recording/group_one", one.key());
        assertEquals(300_000, one.intervalMs());
        assertEquals(30_000, one.queryOffsetMs());
        assertEquals(10, one.limit());
        assertEquals(FILE, one.sourceFile());
        assertEquals(Map.of("team", "a", "env", "prod"), one.labels());
        Rule rate = one.rules().get(0);
        assertEquals("prometheus_remote_storage_samples_in_total:rate5m", rate.record());
        assertNull(rate.alert());
        assertEquals("rate(prometheus_remote_storage_samples_in_total[5m])", rate.expr());
        assertEquals(Map.of("team", "a", "env", "dev"), rate.labels(), "rule labels override group labels");
        assertEquals(10, rate.line());
        assertEquals(10, rate.exprLine());
        assertEquals(15, rate.exprColumn());
        assertTrue(one.remoteWrite().isEmpty());

        RuleGroup two = result.groups().get(1);
        assertEquals(0, two.intervalMs(), "no interval: the configured default applies");
        assertEquals(-1, two.queryOffsetMs(), "no query_offset: the configured default applies");
        assertEquals(60_000, two.intervalMs(60_000));
        assertEquals(0, two.queryOffsetMs(0));
        assertEquals(2, two.rules().size());
        assertTrue(two.rules().get(1).isAlerting());
        assertEquals("HighErrorRate", two.rules().get(1).name());
        assertEquals(List.of(two.rules().get(0)), two.recordingRules());
        assertEquals(1, two.alertingRuleCount());
        RemoteWriteConfig rw = two.remoteWrite().get(0);
        assertEquals("http://example.com/api/v1/push", rw.url());
        assertEquals("user", rw.basicAuthUsername());
        assertEquals("pass", rw.basicAuthPassword());
        assertFalse(two.toString().contains("pass@"));
        assertEquals(Map.of(), two.labels());
    }

    @Test
    void gemDocumentationExamplesAreValid() {
        RuleFileParseResult result = parse("""
                # A regular Grafana Mimir rule group
                groups:
                  - name: group_one
                    interval: 5m
                    rules:
                      - expr: 'rate(prometheus_remote_storage_samples_in_total[5m])'
                        record: 'prometheus_remote_storage_samples_in_total:rate5m'
                  - name: group_two
                    interval: 1m
                    rules:
                      - expr: 'rate(prometheus_remote_storage_samples_in_total[1m])'
                        record: 'prometheus_remote_storage_samples_in_total:rate1m'
                    remote_write:
                      - url: 'http://user:pass@example.com/api/v1/push'
                  - name: remote_write_group
                    interval: 5m
                    rules:
                      - expr: "sum(up)"
                        record: "sum_up"
                    remote_write:
                      - url: "http://user:pass@example.com/api/v1/push"
                """);
        assertEquals(List.of(), result.problems());
        assertEquals(3, result.groups().size());
    }

    @Test
    void emptyFileAndEmptyGroupsAreValid() {
        assertTrue(parse("").valid());
        assertTrue(parse("groups: []\n").valid());
        assertEquals(0, parse("# nothing\n").groups().size());
        assertEquals(1, parse("groups:\n  - name: g\n    rules: []\n").groups().size());
    }

    @Test
    void yamlSyntaxError() {
        assertEquals(List.of("3:1: yaml: expected the node content, but found '<stream end>' (while parsing a flow node)"),
                problems("groups:\n  - name: [\n"));
        List<String> tab = problems("groups:\n\t- name: x\n");
        assertEquals(1, tab.size());
        assertTrue(tab.get(0).startsWith("2:1: yaml: "), tab.get(0));
    }

    @Test
    void unknownFieldsAreNamedAtTheirKey() {
        assertEquals(List.of("1:1: field group not found in rule file; expected one of: groups"),
                problems("group:\n  - name: g\n"));
        assertEquals(List.of(
                "3:5: field foo not found in rule group; expected one of: evaluation_delay, interval, labels, limit, "
                        + "name, query_offset, remote_write, rules, source_tenants",
                "5:9: group \"g\", rule 1, \"x\": field 'expr' must be set in rule",
                "6:9: group \"g\", rule 1, \"x\": field exp not found in rule; expected one of: alert, annotations, expr, "
                        + "for, keep_firing_for, labels, record"),
                problems("""
                        groups:
                          - name: g
                            foo: bar
                            rules:
                              - record: x
                                exp: up
                        """));
    }

    @Test
    void groupNameProblems() {
        assertEquals(List.of(
                "2:5: group name must not be empty",
                "6:5: groupname: \"g\" is repeated in the same file (first at line 4)"),
                problems("""
                        groups:
                          - interval: 1m
                            rules: []
                          - name: g
                            rules: []
                          - name: g
                            rules: []
                        """));
    }

    @Test
    void recordAndAlertPresence() {
        assertEquals(List.of(
                "4:9: group \"g\", rule 1, \"\": one of 'record' or 'alert' must be set",
                "5:17: group \"g\", rule 2, \"a\": only one of 'record' and 'alert' must be set (alert at line 6)"),
                problems("""
                        groups:
                          - name: g
                            rules:
                              - expr: up
                              - record: r
                                alert: a
                                expr: up
                        """));
    }

    @Test
    void invalidRecordNames() {
        assertEquals(List.of(
                "4:17: group \"g\", rule 1, \"1abc\": invalid recording rule name: 1abc",
                "6:17: group \"g\", rule 2, \"foo{a=\"b\"}\": braces present in the recording rule name; should it be in expr?: foo{a=\"b\"}",
                "8:17: group \"g\", rule 3, \"a.b\": invalid recording rule name: a.b"),
                problems("""
                        groups:
                          - name: g
                            rules:
                              - record: 1abc
                                expr: up
                              - record: 'foo{a="b"}'
                                expr: up
                              - record: a.b
                                expr: up
                        """));
    }

    @Test
    void invalidLabelNamesAtTheKey() {
        assertEquals(List.of(
                "4:7: invalid label name: bad-group-label",
                "8:11: group \"g\", rule 1, \"r\": invalid label name: __name__",
                "9:11: group \"g\", rule 1, \"r\": invalid label name: a b"),
                problems("""
                        groups:
                          - name: g
                            labels:
                              bad-group-label: x
                            rules:
                              - record: r
                                labels:
                                  __name__: other
                                  "a b": c
                                expr: up
                        """));
    }

    @Test
    void recordingRulesRejectAlertingFields() {
        assertEquals(List.of(
                "6:9: group \"g\", rule 1, \"r\": invalid field 'for' in recording rule",
                "7:9: group \"g\", rule 1, \"r\": invalid field 'annotations' in recording rule",
                "8:9: group \"g\", rule 1, \"r\": invalid field 'keep_firing_for' in recording rule"),
                problems("""
                        groups:
                          - name: g
                            rules:
                              - record: r
                                expr: up
                                for: 5m
                                annotations: {a: b}
                                keep_firing_for: 1m
                        """));
    }

    @Test
    void badDurations() {
        assertEquals(List.of(
                "3:15: groups[0].interval: not a valid duration string: \"5x\"",
                "4:19: groups[0].query_offset: not a valid duration string: \"-1m\"",
                "8:14: group \"g\", rule 1, \"A\": groups[0].rules[0].for: not a valid duration string: \"1.5h\""),
                problems("""
                        groups:
                          - name: g
                            interval: 5x
                            query_offset: -1m
                            rules:
                              - alert: A
                                expr: up == 0
                                for: 1.5h
                        """));
    }

    @Test
    void promqlErrorsPointIntoTheFile() {
        assertEquals(List.of(
                "5:21: group \"g\", rule 1, \"a\": could not parse expression: unclosed left parenthesis",
                "7:31: group \"g\", rule 2, \"b\": could not parse expression: unexpected end of input",
                "9:31: group \"g\", rule 3, \"c\": could not parse expression: unexpected end of input",
                "12:21: group \"g\", rule 4, \"d\": could not parse expression: unexpected end of input"),
                problems("""
                        groups:
                          - name: g
                            rules:
                              - record: a
                                expr: sum(up
                              - record: b
                                expr: 'rate(foo[5m]) +'
                              - record: c
                                expr: "rate(foo[5m]) +"
                              - record: d
                                expr: |
                                  sum(up) +
                        """));
    }

    @Test
    void promqlErrorInsideAMultiLineBlockScalar() {
        List<String> found = problems("""
                groups:
                  - name: g
                    rules:
                      - record: a
                        expr: |
                          sum by (job) (
                            rate(foo[5m]) bar
                          )
                """);
        assertEquals(1, found.size());
        assertTrue(found.get(0).startsWith("7:27: group \"g\", rule 1, \"a\": could not parse expression: "), found.get(0));
    }

    @Test
    void recordingRuleMustProduceAVectorOrScalar() {
        assertEquals(List.of(
                "5:15: group \"g\", rule 1, \"a\": expression has type range vector, but a recording rule must produce an instant vector or scalar",
                "7:15: group \"g\", rule 2, \"b\": expression has type string, but a recording rule must produce an instant vector or scalar"),
                problems("""
                        groups:
                          - name: g
                            rules:
                              - record: a
                                expr: foo[5m]
                              - record: b
                                expr: '"text"'
                              - record: c
                                expr: 1 + 1
                        """));
    }

    @Test
    void duplicateRecordingRulesAcrossTheFile() {
        RuleFileParseResult result = parse("""
                groups:
                  - name: g1
                    rules:
                      - record: x
                        expr: up
                      - record: x
                        expr: up
                        labels: {a: b}
                  - name: g2
                    labels: {a: b}
                    rules:
                      - record: x
                        expr: sum(up)
                      - record: y
                        expr: up
                """);
        assertEquals(List.of("12:17: group \"g2\", rule 1, \"x\": duplicate rule: x{a=\"b\"} is also recorded at line 6 "
                        + "(group \"g1\"); might cause inconsistency while recording expressions"),
                result.problems().stream().map(p -> p.line() + ":" + p.column() + ": " + p.message()).toList());
        assertEquals(List.of("g1"), result.groups().stream().map(RuleGroup::name).toList(), "the group with a problem is left out");
    }

    @Test
    void remoteWriteEntries() {
        RuleFileParseResult result = parse("""
                groups:
                  - name: g
                    rules:
                      - {record: r, expr: up}
                    remote_write:
                      - url: https://rw.example/api/v1/push
                        name: primary
                        remote_timeout: 10s
                        headers: {X-Scope-OrgID: other-tenant}
                        basic_auth: {username: u, password: p}
                        queue_config: {max_shards: 10}
                      - url: http://second.example/push
                """);
        assertEquals(List.of(), result.problems());
        assertEquals(List.of("11:24: queue_config.max_shards is ignored: each endpoint is served by one in-order sender per sink subtask"),
                result.warnings().stream().map(p -> p.line() + ":" + p.column() + ": " + p.message()).toList());
        List<RemoteWriteConfig> rw = result.groups().get(0).remoteWrite();
        assertEquals(2, rw.size());
        assertEquals("primary", rw.get(0).name());
        assertEquals(10_000, rw.get(0).remoteTimeout().toMillis());
        assertEquals(Map.of("X-Scope-OrgID", "other-tenant"), rw.get(0).headers());
        assertEquals("p", rw.get(0).basicAuthPassword());
        assertEquals("http://second.example/push", rw.get(1).url());

        assertEquals(List.of(
                "6:9: groups[0].remote_write[0]: missing required field url",
                "7:14: remote_write url must start with http:// or https://, got file:///tmp/x",
                "8:28: remote_write field oauth2 is not supported by flink-ruler"),
                problems("""
                        groups:
                          - name: g
                            rules:
                              - {record: r, expr: up}
                            remote_write:
                              - name: no-url
                              - url: file:///tmp/x
                              - url: http://x/, write_relabel_configs: []
                        """.replace("- url: http://x/, write_relabel_configs: []", "- {url: 'http://x/', oauth2: {}}")));
    }

    @Test
    void federatedGroupsAreRejected() {
        assertEquals(List.of("3:5: federated rule groups (source_tenants) are not supported"),
                problems("groups:\n  - name: g\n    source_tenants: [a, b]\n    rules: []\n"));
    }

    @Test
    void evaluationDelayIsMimirsNameForQueryOffset() {
        assertEquals(120_000, parse("groups:\n  - name: g\n    evaluation_delay: 2m\n    rules: []\n").groups().get(0).queryOffsetMs());
    }

    @Test
    void typeErrorsInStructure() {
        assertEquals(List.of("1:9: groups: expected a list, got a mapping"), problems("groups: {name: g}\n"));
        assertEquals(List.of("3:12: groups[0].rules: expected a list, got a string"), problems("groups:\n  - name: g\n    rules: up\n"));
        assertEquals(List.of("5:15: groups[0].rules[0].expr: expected a string, got a list"),
                problems("groups:\n  - name: g\n    rules:\n      - record: r\n        expr: [up]\n"));
        assertEquals(List.of("2:12: groups[0].limit: expected an integer, got \"ten\""),
                problems("groups:\n  - limit: ten\n    name: g\n"));
    }

    @Test
    void alertingRulesNotice() {
        RuleFileParseResult result = parse("""
                groups:
                  - name: g
                    rules:
                      - {alert: A, expr: up == 0}
                      - {alert: B, expr: up == 0}
                      - {record: r, expr: up}
                  - name: h
                    rules:
                      - {record: s, expr: up}
                """);
        assertEquals("2 alerting rule(s) in 1 group(s) are not evaluated: flink-ruler evaluates recording rules only",
                RuleGroup.alertingRulesNotice(result.groups()).orElseThrow());
        assertTrue(RuleGroup.alertingRulesNotice(List.of(result.groups().get(1))).isEmpty());
    }

    @Test
    void equalityIgnoresPositionsAndSourceFile() throws Exception {
        String yaml = "groups:\n  - name: g\n    rules:\n      - {record: r, expr: up}\n";
        RuleGroup a = RuleFileParser.parse("t", "dir1/ns.yaml", yaml).groups().get(0);
        RuleGroup b = RuleFileParser.parse("t", "dir2/ns.yml", "# moved down\n\n" + yaml).groups().get(0);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        RuleGroup c = RuleFileParser.parse("t", "ns.yaml", yaml.replace("expr: up", "expr: up2")).groups().get(0);
        assertFalse(a.equals(c));
        RuleGroup d = RuleFileParser.parse("other", "ns.yaml", yaml).groups().get(0);
        assertFalse(a.equals(d));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(parse("groups:\n  - name: g\n    rules:\n      - {record: r, expr: up}\n    remote_write:\n      - url: http://x/\n").groups().get(0));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            RuleGroup copy = (RuleGroup) in.readObject();
            assertEquals("http://x/", copy.remoteWrite().get(0).url());
            assertEquals("team-a/recording/g", copy.key());
        }
    }

    @Test
    void namespaceIsTheFileNameWithoutExtension() {
        assertEquals("rules", RuleFileParser.namespaceOf("rules.yaml"));
        assertEquals("x.y", RuleFileParser.namespaceOf("/a/b/x.y.yml"));
        assertEquals("plain", RuleFileParser.namespaceOf("c:\\d\\plain"));
        assertEquals(".hidden", RuleFileParser.namespaceOf(".hidden"));
    }

    @Test
    void problemToStringIsFileLineColumnMessage() {
        assertEquals("f.yaml:3:7: boom", new Problem("f.yaml", 3, 7, "boom").toString());
    }
}
