package io.flinkruler.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each case finds the file position of the 'X' in the value and checks it is where X was written. */
class ScalarSourceMapTest {
    private static void assertMapsX(String yaml) {
        YamlNode node = YamlLoader.load("f.yaml", yaml).asMapping().get("expr");
        ScalarSourceMap map = ScalarSourceMap.of(SourceText.of(yaml), node);
        assertTrue(map.exact(), "replay should reproduce " + node.rawString());
        int offset = node.rawString().indexOf('X');
        ScalarSourceMap.Position p = map.at(offset);
        String[] lines = yaml.split("\n", -1);
        assertEquals('X', lines[p.line() - 1].charAt(p.column() - 1), "at " + p + " in\n" + yaml);
    }

    @Test
    void plainSingleLine() {
        assertMapsX("expr: sum(rate(X[5m]))\n");
        assertMapsX("a: 1\nexpr:    abc X\n");
    }

    @Test
    void quotedSingleLine() {
        assertMapsX("expr: 'foo{a=''b''} + X'\n");
        assertMapsX("expr: \"foo{a=\\\"b\\\"} \\t+ X\"\n");
        assertMapsX("expr: \"\\u00e9\\x41 X\"\n");
    }

    @Test
    void multiLineFlowScalarsFold() {
        assertMapsX("expr: sum(rate(foo[5m]))\n  +\n    X\n");
        assertMapsX("expr: 'a +   \n\n   X'\n");
        assertMapsX("expr: \"a +\\\n   X\"\n");
    }

    @Test
    void blockScalars() {
        assertMapsX("expr: |\n  sum(up)\n\n    + X\n");
        assertMapsX("expr: |-\n    sum(up)\n    + X\nnext: 1\n");
        assertMapsX("expr: >\n  sum(up)\n  + X\n");
        assertMapsX("expr: >-\n  sum(up)\n\n  + X\n");
        assertMapsX("expr: |2\n    a\n     X\n");
    }

    @Test
    void nestedBlockScalar() {
        String yaml = "list:\n  - expr: |\n      a\n      X\n";
        YamlNode node = YamlLoader.load("f.yaml", yaml).asMapping().get("list").asList().get(0).asMapping().get("expr");
        ScalarSourceMap map = ScalarSourceMap.of(SourceText.of(yaml), node);
        assertTrue(map.exact());
        assertEquals(new ScalarSourceMap.Position(4, 7), map.at(2, 1));
    }

    @Test
    void lineAndColumnWithinTheValue() {
        String yaml = "expr: |\n  sum(up)\n  + bad\n";
        YamlNode node = YamlLoader.load("f.yaml", yaml).asMapping().get("expr");
        ScalarSourceMap map = ScalarSourceMap.of(SourceText.of(yaml), node);
        assertEquals(new ScalarSourceMap.Position(3, 5), map.at(2, 3));
        assertEquals(new ScalarSourceMap.Position(2, 3), map.at(1, 1));
    }

    @Test
    void utf8ByteColumnsAsPrometheusCountsThem() {
        String yaml = "expr: 'a{l=\"\u00e9\u00e9\"} X'\n";
        YamlNode node = YamlLoader.load("f.yaml", yaml).asMapping().get("expr");
        ScalarSourceMap map = ScalarSourceMap.of(SourceText.of(yaml), node);
        int xChar = node.rawString().indexOf('X');
        ScalarSourceMap.Position expected = map.at(xChar);
        assertEquals(yaml.indexOf('X') + 1, expected.column());
        assertEquals(expected, map.atUtf8Column(1, xChar + 1 + 2)); // each é is two bytes
    }

    @Test
    void endOfInputMapsJustAfterTheLastCharacter() {
        String yaml = "expr: 'rate(foo[5m]) +'\n";
        YamlNode node = YamlLoader.load("f.yaml", yaml).asMapping().get("expr");
        ScalarSourceMap map = ScalarSourceMap.of(SourceText.of(yaml), node);
        assertEquals(new ScalarSourceMap.Position(1, 23), map.at(1, 16));
    }
}
