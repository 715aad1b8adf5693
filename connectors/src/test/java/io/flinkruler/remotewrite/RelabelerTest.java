package io.flinkruler.remotewrite;

import io.flinkruler.model.Labels;
import io.flinkruler.remotewrite.internal.Relabeler;
import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.RemoteWriteConfigParser;
import io.flinkruler.yaml.YamlLoader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** write_relabel_configs as parsed from YAML and applied, with results of Prometheus's model/relabel. */
class RelabelerTest {
    private static final Labels INPUT = Labels.of("__name__", "job:requests:rate5m", "a", "foo", "b", "bar", "c", "baz");

    private static Labels relabel(String rulesYaml, Labels input) {
        RemoteWriteConfig config = RemoteWriteConfigParser.parse(
                YamlLoader.load("rw.yaml", "url: http://x/\nwrite_relabel_configs:\n" + rulesYaml.indent(2), null), new ArrayList<>());
        return new Relabeler(config.writeRelabelConfigs()).apply(input);
    }

    @Test
    void replaceWithDefaultsCopiesTheJoinedSourceValues() {
        assertEquals(INPUT.with("d", "foo;bar"), relabel("- {source_labels: [a, b], target_label: d}", INPUT));
    }

    @Test
    void replaceExpandsGoTemplatesAndSkipsWhenTheRegexDoesNotMatch() {
        assertEquals(INPUT.with("d", "f-oo"), relabel("- {source_labels: [a], regex: '(f)(.*)', target_label: d, replacement: '${1}-$2'}", INPUT));
        assertEquals(INPUT.with("foo", "oo"), relabel("- {source_labels: [a], regex: '(?P<first>f)(.*)', target_label: '${first}oo', replacement: '$2'}", INPUT));
        assertEquals(INPUT, relabel("- {source_labels: [a], regex: 'x(.*)', target_label: d}", INPUT));
        // $1x is the group named "1x" in Go, which does not exist: empty result removes the target
        assertEquals(INPUT.with("a", ""), relabel("- {source_labels: [a], regex: '(.*)', target_label: a, replacement: '$1x'}", INPUT));
        assertEquals(INPUT.with("d", "$foo"), relabel("- {source_labels: [a], target_label: d, replacement: '$$$1'}", INPUT));
    }

    @Test
    void replaceOfAnEmptyValueWithTheDefaultRegexSetsTheReplacement() {
        assertEquals(INPUT.with("d", "fixed"), relabel("- {source_labels: [missing], target_label: d, replacement: fixed}", INPUT));
    }

    @Test
    void regexIsAnchoredAtBothEnds() {
        assertEquals(INPUT, relabel("- {source_labels: [a], regex: 'o+', action: drop}", INPUT));
        assertNull(relabel("- {source_labels: [a], regex: 'fo+', action: drop}", INPUT));
        assertEquals(INPUT, relabel("- {source_labels: [a], regex: 'fo+', action: keep}", INPUT));
        assertNull(relabel("- {source_labels: [a], regex: 'o+', action: keep}", INPUT));
        // Go's $ does not match before a trailing newline, Java's does unless told otherwise
        Labels trailingNewline = INPUT.with("x", "v\n");
        assertEquals(trailingNewline, relabel("- {source_labels: [x], regex: 'v', action: drop}", trailingNewline));
    }

    @Test
    void keepEqualAndDropEqualCompareWithTheTargetLabel() {
        Labels same = INPUT.with("d", "foo");
        assertEquals(same, relabel("- {source_labels: [a], target_label: d, action: keepequal}", same));
        assertNull(relabel("- {source_labels: [a], target_label: b, action: keepequal}", INPUT));
        assertNull(relabel("- {source_labels: [a], target_label: d, action: dropequal}", same));
        assertEquals(INPUT, relabel("- {source_labels: [a], target_label: b, action: dropequal}", INPUT));
    }

    @Test
    void hashmodMatchesPrometheus() {
        assertEquals(INPUT.with("d", "976"), relabel("- {source_labels: [c], target_label: d, modulus: 1000, action: hashmod}", INPUT));
        assertEquals(INPUT.with("d", "696"), relabel("- {source_labels: [a], target_label: d, modulus: 1000, action: hashmod}", INPUT));
    }

    @Test
    void labelmapLabeldropLabelkeep() {
        Labels in = Labels.of("__name__", "m", "__meta_env", "prod", "__meta_zone", "eu", "x", "1");
        assertEquals(in.with("env", "prod").with("zone", "eu"), relabel("- {regex: '__meta_(.*)', action: labelmap}", in));
        assertEquals(Labels.of("__name__", "m", "x", "1"), relabel("- {regex: '__meta_.*', action: labeldrop}", in));
        assertEquals(Labels.of("__name__", "m", "x", "1"), relabel("- {regex: '__name__|x', action: labelkeep}", in));
    }

    @Test
    void lowercaseAndUppercase() {
        Labels in = Labels.of("__name__", "m", "a", "MiXeD");
        assertEquals(in.with("b", "mixed"), relabel("- {source_labels: [a], target_label: b, action: lowercase}", in));
        assertEquals(in.with("b", "MIXED"), relabel("- {source_labels: [a], target_label: b, action: UpperCase}", in));
    }

    @Test
    void rulesRunInOrderOnTheResultOfTheEarlierOnes() {
        assertNull(relabel("""
                - {source_labels: [a], target_label: env, replacement: staging}
                - {source_labels: [env], regex: staging, action: drop}
                """, INPUT));
    }
}
