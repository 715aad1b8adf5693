package io.flinkruler.yaml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML node with its file, 1-based position and dotted path ({@code ruler.storage.type},
 * {@code groups[0].rules[2]}). Typed getters read the scalar text (after {@code ${VAR}} expansion when
 * the document was loaded with an environment) and throw {@link YamlException} at this node's position
 * when the text is not of the expected type.
 */
public final class YamlNode {
    private final String file;
    private final Node node;
    private final String path;
    private final Map<String, String> env;

    YamlNode(String file, Node node, String path, Map<String, String> env) {
        this.file = file;
        this.node = node;
        this.path = path;
        this.env = env;
    }

    public String file() { return file; }
    /** Dotted path from the document root, e.g. {@code ruler.storage.s3.endpoint}; "" for the root. */
    public String path() { return path; }
    /** The snakeyaml node (null for an empty document), for callers that need the scalar style or marks. */
    public Node raw() { return node; }
    public int line() { return node == null ? 1 : node.getStartMark().getLine() + 1; }
    public int column() { return node == null ? 1 : node.getStartMark().getColumn() + 1; }

    public boolean isNull() {
        return node == null || (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL)
                && s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN);
    }
    public boolean isScalar() { return node instanceof ScalarNode; }
    public boolean isMapping() { return node instanceof MappingNode; }
    public boolean isSequence() { return node instanceof SequenceNode; }

    /** An error located at this node. */
    public YamlException error(String detail) {
        return new YamlException(file, line(), column(), detail);
    }

    /** The scalar's text as written (after YAML unquoting, without environment expansion); "" for null. */
    public String rawString() {
        if (isNull()) return "";
        if (!(node instanceof ScalarNode s)) throw error(describePath() + "expected a string, got " + kind());
        return s.getValue();
    }

    /** The scalar's text, with {@code ${VAR}} expanded when the document has an environment; "" for null. */
    public String asString() {
        String raw = rawString();
        if (env == null) return raw;
        try {
            return EnvExpander.expand(raw, env);
        } catch (IllegalArgumentException e) {
            throw error(describePath() + e.getMessage());
        }
    }

    /** true/false, and YAML 1.1's yes/no/on/off as Go's yaml decoder accepts them for bool fields. */
    public boolean asBoolean() {
        String text = asString().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error(describePath() + "expected a boolean (true or false), got " + quoted());
        };
    }

    public int asInt() {
        long v = asLong();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw error(describePath() + "integer out of range: " + v);
        return (int) v;
    }

    public long asLong() {
        String text = asString();
        try {
            return Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            throw error(describePath() + "expected an integer, got " + quoted());
        }
    }

    public double asDouble() {
        String text = asString();
        try {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
                case "-.inf" -> Double.NEGATIVE_INFINITY;
                case ".nan" -> Double.NaN;
                default -> Double.parseDouble(text);
            };
        } catch (NumberFormatException e) {
            throw error(describePath() + "expected a number, got " + quoted());
        }
    }

    /** A Prometheus duration ({@link Durations}) in milliseconds. */
    public long asDurationMillis() {
        try {
            return Durations.parseMillis(asString());
        } catch (IllegalArgumentException e) {
            throw error(describePath() + e.getMessage());
        }
    }

    /** The elements of a sequence; an empty list for null. */
    public List<YamlNode> asList() {
        if (isNull()) return List.of();
        if (!(node instanceof SequenceNode s)) throw error(describePath() + "expected a list, got " + kind());
        List<YamlNode> items = new ArrayList<>(s.getValue().size());
        for (int i = 0; i < s.getValue().size(); i++) {
            items.add(new YamlNode(file, s.getValue().get(i), path + "[" + i + "]", env));
        }
        return Collections.unmodifiableList(items);
    }

    /** The mapping; an empty one for null. */
    public YamlMapping asMapping() {
        if (isNull()) return new YamlMapping(this, List.of());
        if (!(node instanceof MappingNode m)) throw error(describePath() + "expected a mapping, got " + kind());
        return YamlMapping.of(this, m);
    }

    /** A mapping of scalars, in file order; values as {@link #asString()}. */
    public Map<String, String> asStringMap() {
        Map<String, String> out = new LinkedHashMap<>();
        for (YamlMapping.Entry e : asMapping().entries()) out.put(e.key(), e.value().asString());
        return out;
    }

    /** "a string", "a mapping", "a list" or "null": for "expected X, got Y" messages. */
    public String kind() {
        if (isNull()) return "null";
        if (node instanceof MappingNode) return "a mapping";
        if (node instanceof SequenceNode) return "a list";
        return "a string";
    }

    YamlNode child(Node child, String childPath) {
        return new YamlNode(file, child, childPath, env);
    }

    Map<String, String> env() { return env; }

    private String quoted() {
        return "\"" + rawString() + "\"";
    }

    private String describePath() {
        return path.isEmpty() ? "" : path + ": ";
    }
}
