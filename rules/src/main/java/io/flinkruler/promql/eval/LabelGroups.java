package io.flinkruler.promql.eval;

import io.flinkruler.model.Labels;

import java.util.Arrays;
import java.util.Collection;

/**
 * Groups label sets as aggregations ({@code by}/{@code without}) and vector matching
 * ({@code on}/{@code ignoring}) do: by the values of the listed labels, or by all labels except the
 * listed ones and {@code __name__}. An absent label and an empty value are the same. Groups are
 * numbered 0, 1, ... in the order they were first seen, and found by hashing the label values in
 * place, so grouping a series allocates nothing.
 */
final class LabelGroups {
    private final String[] names;
    private final boolean allBut;
    /** Per group: a label set of the group, the one that opened it. */
    private Labels[] representatives = new Labels[16];
    private int[] hashes = new int[16];
    private int size;
    /** Open addressing: group + 1, 0 = free. */
    private int[] table = new int[32];

    /**
     * @param names  the listed label names (any order, repeats allowed)
     * @param allBut true for {@code without}/{@code ignoring}: group by all labels except these and the name
     */
    LabelGroups(Collection<String> names, boolean allBut) {
        this.names = names.stream().distinct().sorted().toArray(String[]::new);
        this.allBut = allBut;
    }

    int size() { return size; }

    /** The label set that opened group {@code g}. */
    Labels representative(int g) { return representatives[g]; }

    /** The group of {@code l}, or -1 when none has been opened for it. */
    int find(Labels l) {
        int h = hash(l);
        int mask = table.length - 1;
        for (int slot = spread(h) & mask; ; slot = (slot + 1) & mask) {
            int entry = table[slot];
            if (entry == 0) return -1;
            int g = entry - 1;
            if (hashes[g] == h && sameGroup(representatives[g], l)) return g;
        }
    }

    /** The group of {@code l}, opening a new one (numbered {@link #size()} before the call) when none fits. */
    int add(Labels l) {
        int h = hash(l);
        int mask = table.length - 1;
        int slot = spread(h) & mask;
        for (; ; slot = (slot + 1) & mask) {
            int entry = table[slot];
            if (entry == 0) break;
            int g = entry - 1;
            if (hashes[g] == h && sameGroup(representatives[g], l)) return g;
        }
        int g = size++;
        if (g == representatives.length) {
            representatives = Arrays.copyOf(representatives, g * 2);
            hashes = Arrays.copyOf(hashes, g * 2);
        }
        representatives[g] = l;
        hashes[g] = h;
        table[slot] = g + 1;
        if (size * 2 > table.length) rehash();
        return g;
    }

    private void rehash() {
        int[] bigger = new int[table.length * 2];
        int mask = bigger.length - 1;
        for (int g = 0; g < size; g++) {
            int slot = spread(hashes[g]) & mask;
            while (bigger[slot] != 0) slot = (slot + 1) & mask;
            bigger[slot] = g + 1;
        }
        table = bigger;
    }

    private static int spread(int h) { return h ^ (h >>> 16); }

    private boolean counted(String name) {
        if (name.equals(Labels.METRIC_NAME)) return false;
        for (String n : names) if (n.equals(name)) return false;
        return true;
    }

    private int hash(Labels l) {
        int h = 1;
        if (allBut) {
            for (int i = 0; i < l.size(); i++) {
                String n = l.name(i);
                String v = l.value(i);
                if (v.isEmpty() || !counted(n)) continue;
                h = 31 * (31 * h + n.hashCode()) + v.hashCode();
            }
        } else {
            for (String n : names) h = 31 * h + l.get(n).hashCode();
        }
        return h;
    }

    private boolean sameGroup(Labels a, Labels b) {
        if (!allBut) {
            for (String n : names) if (!a.get(n).equals(b.get(n))) return false;
            return true;
        }
        int i = 0, j = 0;
        while (true) {
            while (i < a.size() && (a.value(i).isEmpty() || !counted(a.name(i)))) i++;
            while (j < b.size() && (b.value(j).isEmpty() || !counted(b.name(j)))) j++;
            if (i == a.size() || j == b.size()) return i == a.size() && j == b.size();
            if (!a.name(i).equals(b.name(j)) || !a.value(i).equals(b.value(j))) return false;
            i++;
            j++;
        }
    }
}
