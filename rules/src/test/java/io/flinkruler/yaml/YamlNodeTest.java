package io.flinkruler.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class YamlNodeTest {
    @Test
    void typedGettersReadScalars() {
        YamlMapping m = YamlLoader.load("f.yaml", """
                s: hello
                i: 42
                b: true
                y: yes
                d: 1h30m
                f: 0.5
                n:
                list: [a, b]
                map: {k: v, k2: 3}
                """).asMapping();
        assertEquals("hello", m.string("s", null));
        assertEquals(42, m.integer("i", 0));
        assertTrue(m.bool("b", false));
        assertTrue(m.bool("y", false));
        assertEquals(5_400_000, m.durationMillis("d", 0));
        assertEquals(0.5, m.number("f", 0), 0);
        assertNull(m.get("n"));
        assertTrue(m.has("n"));
        assertEquals("dflt", m.string("n", "dflt"));
        assertEquals(7, m.integer("absent", 7));
        assertEquals(List.of("a", "b"), m.get("list").asList().stream().map(YamlNode::asString).toList());
        assertEquals(Map.of("k", "v", "k2", "3"), m.get("map").asStringMap());
        assertEquals("map.k2", m.get("map").asMapping().get("k2").path());
        assertEquals("list[1]", m.get("list").asList().get(1).path());
    }

    @Test
    void typeErrorsAreLocatedAtTheValue() {
        YamlMapping m = YamlLoader.load("f.yaml", "a:\n  i: twelve\n  d: 5x\n  b: maybe\n  l: {x: 1}\n").asMapping().get("a").asMapping();
        assertEquals("f.yaml:2:6: a.i: expected an integer, got \"twelve\"",
                assertThrows(YamlException.class, () -> m.integer("i", 0)).getMessage());
        assertEquals("f.yaml:3:6: a.d: not a valid duration string: \"5x\"",
                assertThrows(YamlException.class, () -> m.durationMillis("d", 0)).getMessage());
        assertEquals("f.yaml:4:6: a.b: expected a boolean (true or false), got \"maybe\"",
                assertThrows(YamlException.class, () -> m.bool("b", false)).getMessage());
        assertEquals("f.yaml:5:6: a.l: expected a list, got a mapping",
                assertThrows(YamlException.class, () -> m.get("l").asList()).getMessage());
        assertEquals("f.yaml:5:6: a.l: expected a string, got a mapping",
                assertThrows(YamlException.class, () -> m.string("l", "")).getMessage());
    }

    @Test
    void unknownAndRepeatedKeysAreReportedAtTheKey() {
        YamlMapping m = YamlLoader.load("f.yaml", "name: a\nnmae: b\nname: c\n").asMapping();
        List<YamlException> problems = m.checkKeys(Set.of("name", "interval"), "rule group");
        assertEquals(2, problems.size());
        assertEquals("f.yaml:2:1: field nmae not found in rule group; expected one of: interval, name", problems.get(0).getMessage());
        assertEquals("f.yaml:3:1: mapping key \"name\" already defined at line 1", problems.get(1).getMessage());
        assertEquals("a", m.string("name", null));
    }

    @Test
    void missingRequiredKeyIsReportedAtTheMapping() {
        YamlMapping m = YamlLoader.load("f.yaml", "outer:\n  inner: 1\n").asMapping().get("outer").asMapping();
        assertEquals("f.yaml:2:3: outer: missing required field url", assertThrows(YamlException.class, () -> m.require("url")).getMessage());
    }

    @Test
    void syntaxErrorsCarryLineAndColumn() {
        YamlException e = assertThrows(YamlException.class, () -> YamlLoader.load("bad.yaml", "a: b\n  c: d\n"));
        assertEquals("bad.yaml", e.file());
        assertEquals(2, e.line());
        assertEquals(4, e.column());
        assertTrue(e.detail().startsWith("yaml: mapping values are not allowed here"), e.detail());
        YamlException unclosed = assertThrows(YamlException.class, () -> YamlLoader.load("bad.yaml", "groups:\n  - name: [\n"));
        assertEquals(3, unclosed.line());
    }

    @Test
    void emptyDocumentIsNull() {
        assertTrue(YamlLoader.load("e.yaml", "").isNull());
        assertTrue(YamlLoader.load("e.yaml", "# only a comment\n").isNull());
        assertTrue(YamlLoader.load("e.yaml", "").asMapping().isEmpty());
    }

    @Test
    void quotedNullIsAString() {
        YamlMapping m = YamlLoader.load("f.yaml", "a: 'null'\nb: null\n").asMapping();
        assertEquals("null", m.string("a", "x"));
        assertEquals("x", m.string("b", "x"));
    }

    @Test
    void mergeKeysAreFlattenedWithOwnKeysWinning() {
        YamlMapping m = YamlLoader.load("f.yaml", """
                base: &base {a: 1, b: 2}
                x:
                  <<: *base
                  b: 3
                """).asMapping().get("x").asMapping();
        assertEquals("1", m.string("a", null));
        assertEquals("3", m.string("b", null));
        assertTrue(m.checkKeys(Set.of("a", "b"), "x").isEmpty());
    }

    @Test
    void environmentIsExpandedOnlyWhenGiven() {
        String text = "url: http://${HOST}:9090\n";
        assertEquals("http://h:9090", YamlLoader.load("c.yaml", text, Map.of("HOST", "h")).asMapping().string("url", null));
        assertEquals("http://${HOST}:9090", YamlLoader.load("c.yaml", text).asMapping().string("url", null));
        YamlException e = assertThrows(YamlException.class,
                () -> YamlLoader.load("c.yaml", text, Map.of()).asMapping().string("url", null));
        assertEquals("c.yaml:1:6: url: environment variable HOST is not set", e.getMessage());
        assertFalse(YamlLoader.load("c.yaml", "n: ${N}\n", Map.of("N", "5")).asMapping().get("n").isNull());
        assertEquals(5, YamlLoader.load("c.yaml", "n: ${N}\n", Map.of("N", "5")).asMapping().integer("n", 0));
    }
}
