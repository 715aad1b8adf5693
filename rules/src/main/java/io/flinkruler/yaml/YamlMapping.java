package io.flinkruler.yaml;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML mapping with string keys in file order. Merge keys ({@code <<: *anchor}) are flattened, keys
 * written in the mapping itself winning over merged ones. Lookups return the first occurrence of a key;
 * {@link #checkKeys} reports repeated and unknown keys.
 */
public final class YamlMapping {
    /** One key and its value; {@code keyNode} locates the key for "unknown key" messages. */
    public record Entry(String key, YamlNode keyNode, YamlNode value) {}

    private final YamlNode self;
    private final List<Entry> entries;
    private final Map<String, Entry> firstByKey = new HashMap<>();

    YamlMapping(YamlNode self, List<Entry> entries) {
        this.self = self;
        this.entries = Collections.unmodifiableList(entries);
        for (Entry e : entries) firstByKey.putIfAbsent(e.key(), e);
    }

    static YamlMapping of(YamlNode self, MappingNode node) {
        List<Entry> own = new ArrayList<>();
        List<Entry> merged = new ArrayList<>();
        for (NodeTuple t : node.getValue()) {
            Node key = t.getKeyNode();
            if (key.getTag().equals(Tag.MERGE)) {
                collectMerged(self, t.getValueNode(), merged);
                continue;
            }
            String name = key instanceof ScalarNode s ? s.getValue() : null;
            YamlNode keyNode = self.child(key, self.path());
            if (name == null) throw keyNode.error("mapping keys must be strings, got " + keyNode.kind());
            own.add(new Entry(name, keyNode, self.child(t.getValueNode(), join(self.path(), name))));
        }
        if (merged.isEmpty()) return new YamlMapping(self, own);
        Set<String> ownKeys = new HashSet<>();
        for (Entry e : own) ownKeys.add(e.key());
        List<Entry> all = new ArrayList<>(own);
        for (Entry e : merged) {
            if (ownKeys.add(e.key())) all.add(e);
        }
        return new YamlMapping(self, all);
    }

    private static void collectMerged(YamlNode self, Node value, List<Entry> into) {
        if (value instanceof MappingNode m) {
            into.addAll(of(self, m).entries);
        } else if (value instanceof SequenceNode s) {
            for (Node item : s.getValue()) collectMerged(self, item, into);
        } else {
            throw self.child(value, self.path()).error("merge key << needs a mapping or a list of mappings");
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The node this mapping was read from. */
    public YamlNode node() { return self; }
    public List<Entry> entries() { return entries; }
    public boolean isEmpty() { return entries.isEmpty(); }

    /** Whether the key is written, even with a null value. */
    public boolean has(String key) { return firstByKey.containsKey(key); }

    /** The value, or null when the key is absent or its value is null ({@code key:} or {@code key: ~}). */
    public YamlNode get(String key) {
        Entry e = firstByKey.get(key);
        return e == null || e.value().isNull() ? null : e.value();
    }

    /** The key's own node (for positions), or null. */
    public YamlNode keyNode(String key) {
        Entry e = firstByKey.get(key);
        return e == null ? null : e.keyNode();
    }

    /**
     * Keys that are not in {@code known} ("field foo not found in {@code what}; expected one of: ...")
     * and keys written twice, each located at the offending key.
     */
    public List<YamlException> checkKeys(Collection<String> known, String what) {
        return checkKeys(known, Set.of(), what);
    }

    /**
     * As {@link #checkKeys(Collection, String)}, also allowing the keys in {@code tolerated} (settings the
     * caller accepts with a warning) without listing them among the expected ones.
     */
    public List<YamlException> checkKeys(Collection<String> known, Collection<String> tolerated, String what) {
        List<YamlException> problems = new ArrayList<>();
        Map<String, Entry> seen = new HashMap<>();
        for (Entry e : entries) {
            Entry earlier = seen.putIfAbsent(e.key(), e);
            if (earlier != null) {
                problems.add(e.keyNode().error("mapping key \"" + e.key() + "\" already defined at line "
                        + earlier.keyNode().line()));
            } else if (!known.contains(e.key()) && !tolerated.contains(e.key())) {
                problems.add(e.keyNode().error("field " + e.key() + " not found in " + what
                        + "; expected one of: " + String.join(", ", new TreeSet<>(known))));
            }
        }
        return problems;
    }

    /** Throws the first problem {@link #checkKeys} finds. */
    public void requireKnownKeys(Collection<String> known, String what) {
        List<YamlException> problems = checkKeys(known, what);
        if (!problems.isEmpty()) throw problems.get(0);
    }

    public String string(String key, String defaultValue) {
        YamlNode v = get(key);
        return v == null ? defaultValue : v.asString();
    }

    public boolean bool(String key, boolean defaultValue) {
        YamlNode v = get(key);
        return v == null ? defaultValue : v.asBoolean();
    }

    public int integer(String key, int defaultValue) {
        YamlNode v = get(key);
        return v == null ? defaultValue : v.asInt();
    }

    public long longValue(String key, long defaultValue) {
        YamlNode v = get(key);
        return v == null ? defaultValue : v.asLong();
    }

    public double number(String key, double defaultValue) {
        YamlNode v = get(key);
        return v == null ? defaultValue : v.asDouble();
    }

    public long durationMillis(String key, long defaultValue) {
        YamlNode v = get(key);
        return v == null ? defaultValue : v.asDurationMillis();
    }

    /** A required key: its value, or an error at the mapping naming the missing key. */
    public YamlNode require(String key) {
        YamlNode v = get(key);
        if (v == null) {
            throw self.error((self.path().isEmpty() ? "" : self.path() + ": ") + "missing required field " + key);
        }
        return v;
    }
}
