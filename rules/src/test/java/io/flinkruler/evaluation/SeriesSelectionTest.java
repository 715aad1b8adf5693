package io.flinkruler.evaluation;

import io.flinkruler.model.Labels;
import io.flinkruler.promql.ast.LabelMatcher;
import io.flinkruler.rules.Rule;
import io.flinkruler.rules.RuleGroup;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeriesSelectionTest {
    private static CompiledGroup group(String name, String... exprs) {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < exprs.length; i++) rules.add(Rule.recording("rec_" + name + "_" + i, exprs[i], Map.of()));
        RuleGroup g = new RuleGroup("t1", "ns", name, 60_000, -1, 0, rules, List.of(), "t1/ns.yaml", Map.of());
        return CompiledGroup.compile(g, EvaluationDefaults.prometheus());
    }

    private static SeriesSelection selection(String... exprs) {
        return SeriesSelection.of(List.of(group("g", exprs)));
    }

    private static Labels l(String... pairs) { return Labels.of(pairs); }

    @Test
    void metricNameSelectors() {
        SeriesSelection s = selection("sum(rate(http_requests_total{code=\"500\"}[5m]))", "up");
        assertTrue(s.selects(l("__name__", "up", "job", "a")));
        assertTrue(s.selects(l("__name__", "http_requests_total", "code", "500")));
        assertFalse(s.selects(l("__name__", "http_requests_total", "code", "200")));
        assertFalse(s.selects(l("__name__", "down", "job", "a")));
        assertFalse(s.selects(l("job", "a")));
        assertEquals(List.of(), s.filingLabelNames());
        assertEquals(0, s.unfiledCount());
    }

    @Test
    void equalityWithoutMetricNameIsFiledUnderTheLabel() {
        SeriesSelection s = selection("count({job=\"api\"})", "count({job=\"web\", env=\"prod\"})");
        assertTrue(s.selects(l("__name__", "anything", "job", "api")));
        assertTrue(s.selects(l("job", "api")));
        assertFalse(s.selects(l("__name__", "anything", "job", "web")));
        assertTrue(s.selects(l("__name__", "anything", "job", "web", "env", "prod")));
        assertFalse(s.selects(l("__name__", "anything", "env", "prod")));
        // the label shared by both selectors is the one looked up
        assertEquals(List.of("job"), s.filingLabelNames());
        assertEquals(0, s.candidatesChecked(l("__name__", "x", "job", "db")));
        assertEquals(1, s.candidatesChecked(l("__name__", "x", "job", "web")));
    }

    @Test
    void emptyValueMatcherIsNotAnIndexKey() {
        // l="" matches series WITHOUT l: it must not be used as an index key
        SeriesSelection s = selection("count(up{env=\"\"})", "count({env=\"\", job=~\"a.*\"})");
        assertTrue(s.selects(l("__name__", "up")));
        assertFalse(s.selects(l("__name__", "up", "env", "prod")));
        assertTrue(s.selects(l("__name__", "other", "job", "abc")));
        assertFalse(s.selects(l("__name__", "other", "job", "abc", "env", "x")));
        assertFalse(s.selects(l("__name__", "other", "job", "b")));
        assertEquals(1, s.unfiledCount());
    }

    @Test
    void negativeAndRegexOnlySelectorsAreCheckedForEverySeries() {
        SeriesSelection s = selection("count({__name__=~\"node_.*\"})", "count({job!=\"api\", instance=~\".+\"})", "count({job!~\"a.*\", team=~\"x+|y\"})");
        assertEquals(3, s.unfiledCount());
        assertTrue(s.selects(l("__name__", "node_load1")));
        assertFalse(s.selects(l("__name__", "load1")));
        assertTrue(s.selects(l("__name__", "load1", "job", "db", "instance", "h")));
        assertFalse(s.selects(l("__name__", "load1", "job", "api", "instance", "h")));
        assertTrue(s.selects(l("__name__", "z", "team", "y")));
        assertFalse(s.selects(l("__name__", "z", "team", "y", "job", "ab")));
        assertEquals(3, s.candidatesChecked(l("__name__", "z")));
    }

    @Test
    void literalAlternationsAreFiledUnderEachValue() {
        SeriesSelection s = selection("count({__name__=~\"a|b\"})", "count({job=~\"x|y\", env!=\"dev\"})", "count({job=~\"x|z.*\"})");
        assertEquals(1, s.unfiledCount());
        assertEquals(List.of("job"), s.filingLabelNames());
        assertTrue(s.selects(l("__name__", "a")));
        assertTrue(s.selects(l("__name__", "b", "job", "q")));
        assertFalse(s.selects(l("__name__", "c")));
        assertTrue(s.selects(l("__name__", "c", "job", "y")));
        assertFalse(s.selects(l("__name__", "c", "job", "y", "env", "dev")));
        assertTrue(s.selects(l("__name__", "c", "job", "z1", "env", "dev")));
        assertEquals(2, s.candidatesChecked(l("__name__", "c", "job", "y", "env", "dev")));
    }

    @Test
    void negativeMatchersBesideAMetricName() {
        SeriesSelection s = selection("up{job!=\"api\"}", "down{job=~\"a|b\"}");
        assertTrue(s.selects(l("__name__", "up", "job", "web")));
        assertTrue(s.selects(l("__name__", "up")));
        assertFalse(s.selects(l("__name__", "up", "job", "api")));
        assertTrue(s.selects(l("__name__", "down", "job", "b")));
        assertFalse(s.selects(l("__name__", "down", "job", "c")));
    }

    @Test
    void everyLeafOfThePlanCounts() {
        SeriesSelection s = selection(
                "max_over_time(rate(a_total[1m])[10m:1m])",
                "sum by (job) (b) / on (job) group_left count(c{x=\"1\"})",
                "histogram_quantile(0.9, sum by (le) (rate(d_bucket[5m]))) > bool 0.5 * scalar(e)",
                "topk(scalar(f), g) or absent(h{job=\"k\"}) unless timestamp(i) and -j offset 5m",
                "absent_over_time(k[5m]) + label_replace(l, \"a\", \"b\", \"c\", \"d\")");
        for (String name : List.of("a_total", "b", "d_bucket", "e", "f", "g", "i", "j", "k", "l")) {
            assertTrue(s.selects(l("__name__", name)), name);
        }
        assertTrue(s.selects(l("__name__", "c", "x", "1")));
        assertFalse(s.selects(l("__name__", "c")));
        assertTrue(s.selects(l("__name__", "h", "job", "k")));
        assertFalse(s.selects(l("__name__", "h")));
        assertFalse(s.selects(l("__name__", "m")));
    }

    @Test
    void identicalSelectorsAreKeptOnce() {
        SeriesSelection s = SeriesSelection.of(List.of(
                group("g1", "sum(up{job=\"a\", env=\"p\"})", "count(up{env=\"p\", job=\"a\"})", "up{job=\"a\",env=\"p\"} * 2"),
                group("g2", "max(up{job=\"a\", env=\"p\"})", "up")));
        assertEquals(2, s.selectorCount());
    }

    @Test
    void groupsWithoutEvaluatedRulesSelectNothing() {
        SeriesSelection s = SeriesSelection.of(List.of());
        assertFalse(s.selects(l("__name__", "up")));
        assertEquals(0, s.selectorCount());
    }

    /** 1,000 groups of 10 rules, each group on its own metric name, plus name-less selectors on 100 jobs. */
    @Test
    void oneCallChecksOnlyTheCandidatesOfTheSeries() {
        List<CompiledGroup> groups = new ArrayList<>();
        for (int g = 0; g < 1_000; g++) {
            String m = "metric_" + g;
            String[] exprs = new String[10];
            for (int r = 0; r < 9; r++) exprs[r] = "sum by (job) (rate(" + m + "{code=\"" + (200 + r) + "\"}[5m]))";
            exprs[9] = "count({job=\"job-" + (g % 100) + "\", env=\"e" + g + "\"})";
            groups.add(group("g" + g, exprs));
        }
        long start = System.nanoTime();
        SeriesSelection s = SeriesSelection.of(groups);
        System.out.printf("SeriesSelection of 1,000 groups x 10 rules built in %.1f ms%n", (System.nanoTime() - start) / 1e6);
        assertEquals(10_000, s.selectorCount());
        assertEquals(0, s.unfiledCount());

        Labels selected = l("__name__", "metric_500", "code", "208", "job", "job-3", "instance", "h1");
        assertTrue(s.selects(selected));
        assertEquals(9, s.candidatesChecked(selected), "the 9 selectors of metric_500, code 208 last");

        Labels otherCode = l("__name__", "metric_500", "code", "404", "job", "job-3", "instance", "h1");
        assertFalse(s.selects(otherCode));
        assertEquals(9, s.candidatesChecked(otherCode));
        // the name-less selectors share job and env equally often; they are filed under env, whose values are rarer
        assertEquals(List.of("env"), s.filingLabelNames());

        Labels unknown = l("__name__", "unknown", "job", "job-1000", "instance", "h1");
        assertFalse(s.selects(unknown));
        assertEquals(0, s.candidatesChecked(unknown));

        Labels byJob = l("__name__", "unknown", "job", "job-7", "env", "e707");
        assertTrue(s.selects(byJob));
        assertEquals(1, s.candidatesChecked(byJob));
        Labels wrongJob = l("__name__", "metric_7", "job", "job-8", "env", "e707");
        assertFalse(s.selects(wrongJob));
        assertEquals(9 + 1, s.candidatesChecked(wrongJob));
    }
}
