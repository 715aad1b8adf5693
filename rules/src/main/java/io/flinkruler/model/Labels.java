package io.flinkruler.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An immutable label set, sorted by name with unique names; {@code __name__} is an ordinary label.
 * Kept as two parallel arrays so that hashing, comparing and serializing need no per-label objects.
 */
public final class Labels implements Comparable<Labels> {
    public static final String METRIC_NAME = "__name__";
    public static final Labels EMPTY = new Labels(new String[0], new String[0]);

    private final String[] names;
    private final String[] values;
    private int hash;
    /** {@link #stableHash()} once computed (0: not yet): every sample of a series is routed by it. */
    private long stableHash;

    private Labels(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    /** Trusts that names are sorted and unique and that no value is empty; callers in hot paths use this. */
    public static Labels ofSorted(String[] names, String[] values) {
        return new Labels(names, values);
    }

    /** Name/value pairs in any order; empty values are dropped (an empty value means "no label"). */
    public static Labels of(String... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) throw new IllegalArgumentException("odd number of name/value strings");
        TreeMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) m.put(nameValuePairs[i], nameValuePairs[i + 1]);
        return fromMap(m);
    }

    public static Labels fromMap(Map<String, String> map) {
        TreeMap<String, String> sorted = map instanceof TreeMap<String, String> t && t.comparator() == null ? t : new TreeMap<>(map);
        List<String> n = new ArrayList<>(sorted.size());
        List<String> v = new ArrayList<>(sorted.size());
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            if (e.getValue() == null || e.getValue().isEmpty()) continue;
            n.add(e.getKey());
            v.add(e.getValue());
        }
        return new Labels(n.toArray(new String[0]), v.toArray(new String[0]));
    }

    public int size() { return names.length; }
    public String name(int i) { return names[i]; }
    public String value(int i) { return values[i]; }

    /** The value of a label, or "" when absent (PromQL treats absent and empty alike). */
    public String get(String name) {
        int i = Arrays.binarySearch(names, name);
        return i >= 0 ? values[i] : "";
    }

    public boolean has(String name) { return Arrays.binarySearch(names, name) >= 0; }

    public String metricName() { return get(METRIC_NAME); }

    public Labels withoutMetricName() {
        int i = Arrays.binarySearch(names, METRIC_NAME);
        return i < 0 ? this : without(i);
    }

    private Labels without(int i) {
        String[] n = new String[names.length - 1];
        String[] v = new String[names.length - 1];
        System.arraycopy(names, 0, n, 0, i);
        System.arraycopy(names, i + 1, n, i, names.length - i - 1);
        System.arraycopy(values, 0, v, 0, i);
        System.arraycopy(values, i + 1, v, i, values.length - i - 1);
        return new Labels(n, v);
    }

    /** A copy with {@code name} set to {@code value}; an empty value removes the label. */
    public Labels with(String name, String value) {
        int i = Arrays.binarySearch(names, name);
        if (value == null || value.isEmpty()) return i < 0 ? this : without(i);
        if (i >= 0) {
            if (values[i].equals(value)) return this;
            String[] v = values.clone();
            v[i] = value;
            return new Labels(names, v);
        }
        int at = -i - 1;
        String[] n = new String[names.length + 1];
        String[] v = new String[names.length + 1];
        System.arraycopy(names, 0, n, 0, at);
        System.arraycopy(values, 0, v, 0, at);
        n[at] = name;
        v[at] = value;
        System.arraycopy(names, at, n, at + 1, names.length - at);
        System.arraycopy(values, at, v, at + 1, values.length - at);
        return new Labels(n, v);
    }

    public Builder toBuilder() { return new Builder(this); }

    public Map<String, String> toMap() {
        TreeMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < names.length; i++) m.put(names[i], values[i]);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Labels other)) return false;
        return hashCode() == other.hashCode() && Arrays.equals(names, other.names) && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 1;
            for (int i = 0; i < names.length; i++) h = 31 * (31 * h + names[i].hashCode()) + values[i].hashCode();
            if (h == 0) h = 1;
            hash = h;
        }
        return h;
    }

    /** A 64-bit hash stable across JVMs and releases (FNV-1a over name\xff value\xff ...): used for sharding. */
    public long stableHash() {
        long h = stableHash;
        if (h != 0) return h;
        h = 0xcbf29ce484222325L;
        for (int i = 0; i < names.length; i++) {
            h = fnv(h, names[i]);
            h = fnv(h, values[i]);
        }
        stableHash = h;
        return h;
    }

    private static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= 0xff;
        h *= 0x100000001b3L;
        return h;
    }

    @Override
    public int compareTo(Labels o) {
        int n = Math.min(names.length, o.names.length);
        for (int i = 0; i < n; i++) {
            int c = names[i].compareTo(o.names[i]);
            if (c != 0) return c;
            c = values[i].compareTo(o.values[i]);
            if (c != 0) return c;
        }
        return Integer.compare(names.length, o.names.length);
    }

    /** Prometheus's notation: {@code name{a="b", c="d"}}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        String name = metricName();
        sb.append(name).append('{');
        boolean first = true;
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(METRIC_NAME)) continue;
            if (!first) sb.append(", ");
            first = false;
            sb.append(names[i]).append("=\"").append(escape(values[i])).append('"');
        }
        return sb.append('}').toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** Mutable builder: set/remove by name, then {@link #build()} sorts once. */
    public static final class Builder {
        private final TreeMap<String, String> map = new TreeMap<>();

        public Builder() {}

        Builder(Labels base) {
            for (int i = 0; i < base.names.length; i++) map.put(base.names[i], base.values[i]);
        }

        public Builder set(String name, String value) {
            if (value == null || value.isEmpty()) map.remove(name);
            else map.put(name, value);
            return this;
        }

        public Builder remove(String name) {
            map.remove(name);
            return this;
        }

        public String get(String name) { return map.getOrDefault(name, ""); }

        public Labels build() { return fromMap(map); }
    }

    /** Label set equality ignoring element identity; for tests and diagnostics. */
    public static boolean same(Labels a, Labels b) { return Objects.equals(a, b); }
}
