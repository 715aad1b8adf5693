package io.flinkruler.evaluation;

import io.flinkruler.model.Labels;
import io.flinkruler.promql.ast.LabelMatcher;
import io.flinkruler.promql.eval.IndexableValues;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which series the rules of a set of groups can read: a series is selected when the matchers of some
 * selector of some rule all accept it. Selectors are filed under the metric names they accept, or when
 * they pin none under the values of one of their other indexable matchers ({@link IndexableValues}:
 * {@code l="v"} with v non-empty, {@code l=~"a|b"}); only the few that have neither (negative
 * matchers, other regexes, {@code l=""}) are tried for every series. So one call costs a hash lookup per
 * filing label name plus the selectors filed under the series' own values, however many rules there
 * are. Identical selectors (same matchers in any order) are kept once. Immutable and thread-safe;
 * rebuild it with {@link #of} when the groups change.
 */
public final class SeriesSelection {
    private static final Comparator<LabelMatcher> CANONICAL = Comparator.comparing(LabelMatcher::name)
            .thenComparing(LabelMatcher::type).thenComparing(LabelMatcher::value);
    private static final Candidate[] NONE = new Candidate[0];

    private final Map<String, Candidate[]> byMetricName;
    /** The label names other than the metric name that selectors are filed under. */
    private final String[] filingNames;
    /** For each filing name, by label value, the selectors filed there. */
    private final List<Map<String, Candidate[]>> byFilingValue;
    private final Candidate[] unfiled;
    private final int selectorCount;

    private SeriesSelection(Map<String, Candidate[]> byMetricName, String[] filingNames, List<Map<String, Candidate[]>> byFilingValue,
                            Candidate[] unfiled, int selectorCount) {
        this.byMetricName = byMetricName;
        this.filingNames = filingNames;
        this.byFilingValue = byFilingValue;
        this.unfiled = unfiled;
        this.selectorCount = selectorCount;
    }

    /** The selection of every selector of every evaluated rule of these groups. */
    public static SeriesSelection of(Collection<CompiledGroup> groups) {
        List<List<LabelMatcher>> selectors = new ArrayList<>();
        for (CompiledGroup g : groups) selectors.addAll(g.selectorMatchers());
        return ofSelectors(selectors);
    }

    /** The selection of these selectors, each given by its matchers. */
    public static SeriesSelection ofSelectors(Collection<? extends List<LabelMatcher>> selectors) {
        Set<List<LabelMatcher>> distinct = new LinkedHashSet<>();
        for (List<LabelMatcher> s : selectors) distinct.add(canonical(s));
        Map<String, Integer> nameVotes = new HashMap<>();
        Map<String, Map<String, Integer>> valueVotes = new HashMap<>();
        for (List<LabelMatcher> s : distinct) {
            if (metricNameMatcher(s) != null) continue;
            for (LabelMatcher m : s) {
                String[] values = IndexableValues.of(m);
                if (values == null) continue;
                nameVotes.merge(m.name(), 1, Integer::sum);
                for (String v : values) valueVotes.computeIfAbsent(m.name(), n -> new HashMap<>()).merge(v, 1, Integer::sum);
            }
        }
        Map<String, List<Candidate>> byName = new HashMap<>();
        Map<String, Map<String, List<Candidate>>> byLabel = new HashMap<>();
        List<Candidate> unfiled = new ArrayList<>();
        for (List<LabelMatcher> s : distinct) {
            LabelMatcher key = metricNameMatcher(s);
            if (key == null) key = filingMatcher(s, nameVotes, valueVotes);
            if (key == null) {
                unfiled.add(new Candidate(s, null));
                continue;
            }
            Candidate candidate = new Candidate(s, key);
            Map<String, List<Candidate>> byValue = key.name().equals(Labels.METRIC_NAME) ? byName
                    : byLabel.computeIfAbsent(key.name(), n -> new HashMap<>());
            // a series has one value per label name: it meets a selector filed under several values once at most
            for (String v : IndexableValues.of(key)) byValue.computeIfAbsent(v, x -> new ArrayList<>()).add(candidate);
        }
        String[] filingNames = byLabel.keySet().stream().sorted().toArray(String[]::new);
        List<Map<String, Candidate[]>> byFilingValue = new ArrayList<>(filingNames.length);
        for (String n : filingNames) byFilingValue.add(toArrays(byLabel.get(n)));
        return new SeriesSelection(toArrays(byName), filingNames, byFilingValue, unfiled.toArray(NONE), distinct.size());
    }

    /** Whether some selector can match this series. */
    public boolean selects(Labels series) {
        return scan(series) < 0;
    }

    /**
     * How many selectors {@link #selects} tries on this series (those filed under its metric name and
     * label values, and the unfiled ones) before it decides: a measure of its cost, for tests.
     */
    public int candidatesChecked(Labels series) {
        int r = scan(series);
        return r < 0 ? -r - 1 : r;
    }

    /** The number of distinct selectors. */
    public int selectorCount() { return selectorCount; }

    /** The number of selectors tried for every series (they have no equality matcher to be filed under). */
    public int unfiledCount() { return unfiled.length; }

    /** The label names besides the metric name that selectors are filed under. */
    public List<String> filingLabelNames() { return List.of(filingNames); }

    /** The number of candidates tried, as -(n + 1) when one of them matched. */
    private int scan(Labels series) {
        int checked = 0;
        Candidate[] c = byMetricName.get(series.metricName());
        if (c != null) {
            for (Candidate candidate : c) {
                checked++;
                if (candidate.matches(series)) return -checked - 1;
            }
        }
        for (int i = 0; i < filingNames.length; i++) {
            String value = series.get(filingNames[i]);
            if (value.isEmpty()) continue;
            c = byFilingValue.get(i).get(value);
            if (c == null) continue;
            for (Candidate candidate : c) {
                checked++;
                if (candidate.matches(series)) return -checked - 1;
            }
        }
        for (Candidate candidate : unfiled) {
            checked++;
            if (candidate.matches(series)) return -checked - 1;
        }
        return checked;
    }

    private static LabelMatcher metricNameMatcher(List<LabelMatcher> selector) {
        for (LabelMatcher m : selector) {
            if (m.name().equals(Labels.METRIC_NAME) && IndexableValues.of(m) != null) return m;
        }
        return null;
    }

    /**
     * The indexable matcher whose label name most name-less selectors share, so that few names are
     * looked up per series; on a tie the one with fewer selectors filed under its values.
     */
    private static LabelMatcher filingMatcher(List<LabelMatcher> selector, Map<String, Integer> nameVotes,
                                              Map<String, Map<String, Integer>> valueVotes) {
        LabelMatcher best = null;
        int bestShared = 0;
        long bestCrowd = 0;
        for (LabelMatcher m : selector) {
            String[] values = IndexableValues.of(m);
            if (values == null) continue;
            int shared = nameVotes.get(m.name());
            long crowd = 0;
            for (String v : values) crowd += valueVotes.get(m.name()).get(v);
            if (best == null || shared > bestShared || shared == bestShared && crowd < bestCrowd) {
                best = m;
                bestShared = shared;
                bestCrowd = crowd;
            }
        }
        return best;
    }

    private static List<LabelMatcher> canonical(List<LabelMatcher> selector) {
        List<LabelMatcher> sorted = new ArrayList<>(new LinkedHashSet<>(selector));
        sorted.sort(CANONICAL);
        return List.copyOf(sorted);
    }

    private static Map<String, Candidate[]> toArrays(Map<String, List<Candidate>> lists) {
        Map<String, Candidate[]> out = new HashMap<>(lists.size() * 2);
        for (Map.Entry<String, List<Candidate>> e : lists.entrySet()) out.put(e.getKey(), e.getValue().toArray(NONE));
        return out;
    }

    /** A selector filed under one of its matchers: the lookup already checked that one. */
    private static final class Candidate {
        final LabelMatcher[] remaining;

        Candidate(List<LabelMatcher> matchers, LabelMatcher filedUnder) {
            List<LabelMatcher> rest = new ArrayList<>(matchers);
            if (filedUnder != null) rest.remove(filedUnder);
            this.remaining = rest.toArray(new LabelMatcher[0]);
        }

        boolean matches(Labels series) {
            for (LabelMatcher m : remaining) if (!m.matches(series.get(m.name()))) return false;
            return true;
        }
    }
}
