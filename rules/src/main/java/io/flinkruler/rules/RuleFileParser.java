package io.flinkruler.rules;

import io.flinkruler.promql.ast.Expr;
import io.flinkruler.promql.ast.ValueType;
import io.flinkruler.promql.parser.PromqlParseException;
import io.flinkruler.promql.parser.PromqlParser;
import io.flinkruler.yaml.ScalarSourceMap;
import io.flinkruler.yaml.SourceText;
import io.flinkruler.yaml.YamlException;
import io.flinkruler.yaml.YamlLoader;
import io.flinkruler.yaml.YamlMapping;
import io.flinkruler.yaml.YamlNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a Prometheus rule file (with GEM's per-group {@code remote_write}) and validates it the way
 * Prometheus's rulefmt and {@code promtool check rules} do: YAML syntax, unknown and repeated fields,
 * group names, record/alert names, label names, durations, PromQL expressions (errors located at the
 * offending character in the file) and duplicate recording rules. Every problem carries
 * {@code file:line:column}. Groups with a problem are left out of the result's groups.
 */
public final class RuleFileParser {
    private static final Set<String> FILE_FIELDS = Set.of("groups");
    private static final Set<String> GROUP_FIELDS = Set.of("name", "interval", "query_offset", "evaluation_delay",
            "limit", "labels", "rules", "remote_write", "source_tenants");
    private static final Set<String> RULE_FIELDS = Set.of("record", "alert", "expr", "for", "keep_firing_for",
            "labels", "annotations");

    private final String tenant;
    private final String file;
    private final String namespace;
    private final SourceText source;
    private final List<Problem> problems = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();

    private RuleFileParser(String tenant, String file, String text) {
        this.tenant = tenant;
        this.file = file;
        this.namespace = namespaceOf(file);
        this.source = SourceText.of(text);
    }

    /**
     * Parses one rule file of a tenant. {@code fileName} appears in every problem and becomes the groups'
     * {@link RuleGroup#sourceFile()}; its last path element without extension is the namespace.
     */
    public static RuleFileParseResult parse(String tenant, String fileName, String yamlText) {
        RuleFileParser parser = new RuleFileParser(tenant, fileName, yamlText);
        List<RuleGroup> groups = parser.parseFile(yamlText);
        Comparator<Problem> byPosition = Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column);
        parser.problems.sort(byPosition); // stable: problems at one place keep the order they were found in
        parser.warnings.sort(byPosition);
        return new RuleFileParseResult(groups, parser.problems, parser.warnings);
    }

    /** {@code rules.yaml} -> {@code rules}; {@code a/b/x.y.yml} -> {@code x.y}; no extension: the name itself. */
    public static String namespaceOf(String fileName) {
        String name = fileName.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private List<RuleGroup> parseFile(String text) {
        YamlNode root;
        try {
            root = YamlLoader.load(file, text);
        } catch (YamlException e) {
            problems.add(Problem.of(e));
            return List.of();
        }
        if (root.isNull()) return List.of(); // an empty file is a valid file without groups
        YamlMapping top;
        try {
            top = root.asMapping();
        } catch (YamlException e) {
            problems.add(Problem.of(e));
            return List.of();
        }
        report(top.checkKeys(FILE_FIELDS, "rule file"));
        YamlNode groupsNode = top.get("groups");
        if (groupsNode == null) return List.of();
        List<YamlNode> groupNodes;
        try {
            groupNodes = groupsNode.asList();
        } catch (YamlException e) {
            problems.add(Problem.of(e));
            return List.of();
        }

        List<RuleGroup> groups = new ArrayList<>();
        Map<String, Integer> firstLineOfGroup = new HashMap<>();
        Map<DuplicateKey, RuleSite> recorded = new HashMap<>();
        for (YamlNode groupNode : groupNodes) {
            int before = problems.size();
            RuleGroup group = parseGroup(groupNode, firstLineOfGroup, recorded);
            if (group != null && problems.size() == before) groups.add(group);
        }
        return groups;
    }

    private RuleGroup parseGroup(YamlNode node, Map<String, Integer> firstLineOfGroup, Map<DuplicateKey, RuleSite> recorded) {
        YamlMapping g;
        try {
            g = node.asMapping();
        } catch (YamlException e) {
            problems.add(Problem.of(e));
            return null;
        }
        report(g.checkKeys(GROUP_FIELDS, "rule group"));
        String name = attempt(() -> g.string("name", ""), "");
        if (name.isEmpty()) {
            problem(node, "group name must not be empty");
        } else {
            Integer firstLine = firstLineOfGroup.putIfAbsent(name, node.line());
            if (firstLine != null) {
                problem(node, "groupname: \"" + name + "\" is repeated in the same file (first at line " + firstLine + ")");
            }
        }
        if (g.has("source_tenants")) {
            problem(g.keyNode("source_tenants"), "federated rule groups (source_tenants) are not supported");
        }
        long interval = attempt(() -> g.durationMillis("interval", 0), 0L);
        long queryOffset = attempt(() -> g.durationMillis("query_offset", g.durationMillis("evaluation_delay", -1)), -1L);
        int limit = attempt(() -> g.integer("limit", 0), 0);
        if (limit < 0) problem(g.get("limit"), "limit must not be negative");
        Map<String, String> groupLabels = labels(g.get("labels"), "");

        List<RemoteWriteConfig> remoteWrite = new ArrayList<>();
        for (YamlNode rw : attempt(() -> listOf(g.get("remote_write")), List.<YamlNode>of())) {
            try {
                List<YamlException> rwWarnings = new ArrayList<>();
                remoteWrite.add(RemoteWriteConfigParser.parse(rw, rwWarnings));
                for (YamlException w : rwWarnings) warnings.add(Problem.of(w));
            } catch (YamlException e) {
                problems.add(Problem.of(e));
            }
        }

        List<Rule> rules = new ArrayList<>();
        List<YamlNode> ruleNodes = attempt(() -> listOf(g.get("rules")), List.<YamlNode>of());
        for (int i = 0; i < ruleNodes.size(); i++) {
            Rule rule = parseRule(ruleNodes.get(i), "group \"" + name + "\", rule " + (i + 1), groupLabels, recorded, name);
            if (rule != null) rules.add(rule);
        }
        if (name.isEmpty()) return null;
        return new RuleGroup(tenant, namespace, name, interval, queryOffset, Math.max(limit, 0), rules, remoteWrite, file, groupLabels);
    }

    private Rule parseRule(YamlNode node, String where, Map<String, String> groupLabels,
                           Map<DuplicateKey, RuleSite> recorded, String groupName) {
        YamlMapping r;
        try {
            r = node.asMapping();
        } catch (YamlException e) {
            problems.add(Problem.of(e));
            return null;
        }
        YamlNode recordNode = r.get("record");
        YamlNode alertNode = r.get("alert");
        String record = recordNode == null ? "" : attempt(recordNode::asString, "");
        String alert = alertNode == null ? "" : attempt(alertNode::asString, "");
        String context = where + ", \"" + (alert.isEmpty() ? record : alert) + "\": ";
        for (YamlException e : r.checkKeys(RULE_FIELDS, "rule")) problems.add(Problem.of(e).withPrefix(context));

        boolean ok = true;
        if (!record.isEmpty() && !alert.isEmpty()) {
            problem(recordNode, context + "only one of 'record' and 'alert' must be set (alert at line " + alertNode.line() + ")");
            ok = false;
        } else if (record.isEmpty() && alert.isEmpty()) {
            problem(node, context + "one of 'record' or 'alert' must be set");
            ok = false;
        }
        if (!record.isEmpty()) {
            ok &= validateRecordName(recordNode, record, context);
            for (String field : List.of("annotations", "for", "keep_firing_for")) {
                if (r.get(field) != null) {
                    problem(r.keyNode(field), context + "invalid field '" + field + "' in recording rule");
                    ok = false;
                }
            }
        } else {
            ok &= validDuration(r, "for", context);
            ok &= validDuration(r, "keep_firing_for", context);
            YamlNode annotations = r.get("annotations");
            if (annotations != null) {
                try {
                    for (YamlMapping.Entry e : annotations.asMapping().entries()) {
                        if (!Names.isValidLabelName(e.key())) {
                            problem(e.keyNode(), context + "invalid annotation name: " + e.key());
                            ok = false;
                        }
                        e.value().asString();
                    }
                } catch (YamlException e) {
                    problems.add(Problem.of(e).withPrefix(context));
                    ok = false;
                }
            }
        }

        int problemsBefore = problems.size();
        Map<String, String> ruleLabels = labels(r.get("labels"), context);
        ok &= problems.size() == problemsBefore;

        YamlNode exprNode = r.get("expr");
        String expr = exprNode == null ? "" : attempt(exprNode::asString, "");
        if (exprNode != null && !exprNode.isScalar()) {
            ok = false; // the type error is already reported
        } else if (expr.isBlank()) {
            problem(exprNode != null ? exprNode : node, context + "field 'expr' must be set in rule");
            ok = false;
        } else {
            ok &= validateExpr(exprNode, expr, context, !record.isEmpty());
        }
        if (!ok) return null;

        Map<String, String> labels = new TreeMap<>(groupLabels);
        labels.putAll(ruleLabels);
        if (!record.isEmpty()) {
            RuleSite earlier = recorded.putIfAbsent(new DuplicateKey(record, labels), new RuleSite(recordNode.line(), groupName));
            if (earlier != null) {
                problem(recordNode, context + "duplicate rule: " + record + labelsText(labels) + " is also recorded at line "
                        + earlier.line() + " (group \"" + earlier.group() + "\"); might cause inconsistency while recording expressions");
                return null;
            }
        }
        return new Rule(record.isEmpty() ? null : record, alert.isEmpty() ? null : alert, expr, labels,
                node.line(), exprNode.line(), exprNode.column());
    }

    private boolean validateRecordName(YamlNode recordNode, String record, String context) {
        if (Names.isValidMetricName(record)) return true;
        if (record.contains("{") || record.contains("}")) {
            problem(recordNode, context + "braces present in the recording rule name; should it be in expr?: " + record);
        } else {
            problem(recordNode, context + "invalid recording rule name: " + record);
        }
        return false;
    }

    private boolean validateExpr(YamlNode exprNode, String expr, String context, boolean recording) {
        Expr parsed;
        try {
            parsed = PromqlParser.parse(expr);
        } catch (PromqlParseException e) {
            ScalarSourceMap.Position at = ScalarSourceMap.of(source, exprNode).atUtf8Column(e.line(), e.column());
            problems.add(new Problem(file, at.line(), at.column(), context + "could not parse expression: " + e.detail()));
            return false;
        } catch (RuntimeException e) {
            problem(exprNode, context + "could not parse expression (internal parser error): " + e);
            return false;
        }
        if (recording && parsed != null && (parsed.type() == ValueType.MATRIX || parsed.type() == ValueType.STRING)) {
            problem(exprNode, context + "expression has type " + parsed.type().description()
                    + ", but a recording rule must produce an instant vector or scalar");
            return false;
        }
        return true;
    }

    private boolean validDuration(YamlMapping r, String field, String context) {
        try {
            r.durationMillis(field, 0);
            return true;
        } catch (YamlException e) {
            problems.add(Problem.of(e).withPrefix(context));
            return false;
        }
    }

    /** A {@code labels} mapping with Prometheus's checks; problems are recorded, bad entries dropped. */
    private Map<String, String> labels(YamlNode node, String context) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null) return out;
        YamlMapping m;
        try {
            m = node.asMapping();
        } catch (YamlException e) {
            problems.add(Problem.of(e).withPrefix(context));
            return out;
        }
        for (YamlException e : m.checkKeys(m.entries().stream().map(YamlMapping.Entry::key).toList(), "labels")) {
            problems.add(Problem.of(e).withPrefix(context)); // only repeated label names are reported here
        }
        for (YamlMapping.Entry e : m.entries()) {
            if (!Names.isValidLabelName(e.key()) || e.key().equals("__name__")) {
                problem(e.keyNode(), context + "invalid label name: " + e.key());
                continue;
            }
            try {
                out.putIfAbsent(e.key(), e.value().asString());
            } catch (YamlException ex) {
                problems.add(Problem.of(ex).withPrefix(context));
            }
        }
        return out;
    }

    private List<YamlNode> listOf(YamlNode node) {
        return node == null ? List.of() : node.asList();
    }

    private static String labelsText(Map<String, String> labels) {
        StringBuilder sb = new StringBuilder("{");
        labels.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append("=\"").append(v).append('"'));
        return sb.append('}').toString();
    }

    private interface Read<T> {
        T get();
    }

    /** Reads a value; on a type error records the problem and goes on with {@code fallback}. */
    private <T> T attempt(Read<T> read, T fallback) {
        try {
            return read.get();
        } catch (YamlException e) {
            problems.add(Problem.of(e));
            return fallback;
        }
    }

    private void report(List<YamlException> errors) {
        for (YamlException e : errors) problems.add(Problem.of(e));
    }

    private void problem(YamlNode at, String message) {
        problems.add(new Problem(file, at.line(), at.column(), message));
    }

    private record DuplicateKey(String record, Map<String, String> labels) {}

    private record RuleSite(int line, String group) {}
}
