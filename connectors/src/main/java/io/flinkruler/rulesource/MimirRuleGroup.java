package io.flinkruler.rulesource;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One rule group as Mimir's ruler stores it in a bucket: the protobuf message {@code rules.RuleGroupDesc} (Mimir's
 * {@code pkg/ruler/rulespb/rules.proto}) at {@code rules/<tenant>/<base64url(namespace)>/<base64url(group)>}.
 * Encoded and decoded field by field; unknown fields are skipped. Fields are written in field-number order and
 * the non-nullable durations always, as Mimir's gogoproto code does.
 *
 * <p>The Prometheus rule-file form ({@link #toRuleFileYaml}) is what the ruler parses and validates: the same
 * checks as for rule files apply.
 */
public record MimirRuleGroup(String name, String namespace, long intervalMs, List<Rule> rules, String user,
                             List<String> sourceTenants, long evaluationDelayMs, long queryOffsetMs,
                             boolean alignEvaluationTimeOnInterval) {
    public static final String RULES_PREFIX = "rules";

    /** {@code rules.RuleDesc}; durations in milliseconds, labels and annotations in their stored order. */
    public record Rule(String expr, String record, String alert, long forMs, long keepFiringForMs,
                       Map<String, String> labels, Map<String, String> annotations) {}

    public MimirRuleGroup {
        rules = List.copyOf(rules);
        sourceTenants = List.copyOf(sourceTenants);
    }

    /** {@code rules/<tenant>/<base64url namespace>/<base64url group>}, relative to the bucket (prefix) root. */
    public static String objectKey(String tenant, String namespace, String group) {
        return RULES_PREFIX + "/" + tenant + "/" + encodeName(namespace) + "/" + encodeName(group);
    }

    /** Go's {@code base64.URLEncoding}: URL alphabet, with padding. */
    public static String encodeName(String name) {
        return Base64.getUrlEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    /** Accepts padded and unpadded base64url; IllegalArgumentException for anything else. */
    public static String decodeName(String encoded) {
        return new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    // ---- protobuf ---------------------------------------------------------------------------------------------

    public static MimirRuleGroup decode(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String name = "", namespace = "", user = "";
        long interval = 0, evaluationDelay = 0, queryOffset = 0;
        boolean align = false;
        List<Rule> rules = new ArrayList<>();
        List<String> sourceTenants = new ArrayList<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = in.readStringRequireUtf8();
                case 2 -> namespace = in.readStringRequireUtf8();
                case 3 -> interval = durationMs(in.readBytes().toByteArray());
                case 4 -> rules.add(decodeRule(in.readBytes().toByteArray()));
                case 6 -> user = in.readStringRequireUtf8();
                case 10 -> sourceTenants.add(in.readStringRequireUtf8());
                case 11 -> evaluationDelay = durationMs(in.readBytes().toByteArray());
                case 12 -> align = in.readBool();
                case 13 -> queryOffset = durationMs(in.readBytes().toByteArray());
                default -> in.skipField(tag); // 9: options (google.protobuf.Any), unknown extensions
            }
        }
        return new MimirRuleGroup(name, namespace, interval, rules, user, sourceTenants, evaluationDelay, queryOffset, align);
    }

    private static Rule decodeRule(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String expr = "", record = "", alert = "";
        long forMs = 0, keepFiringFor = 0;
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> annotations = new LinkedHashMap<>();
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> expr = in.readStringRequireUtf8();
                case 2 -> record = in.readStringRequireUtf8();
                case 3 -> alert = in.readStringRequireUtf8();
                case 4 -> forMs = durationMs(in.readBytes().toByteArray());
                case 5 -> decodeLabel(in.readBytes().toByteArray(), labels);
                case 6 -> decodeLabel(in.readBytes().toByteArray(), annotations);
                case 13 -> keepFiringFor = durationMs(in.readBytes().toByteArray());
                default -> in.skipField(tag);
            }
        }
        return new Rule(expr, record, alert, forMs, keepFiringFor, labels, annotations);
    }

    /** {@code cortexpb.LabelPair}: bytes name = 1, bytes value = 2. */
    private static void decodeLabel(byte[] bytes, Map<String, String> into) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String name = "", value = "";
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = in.readBytes().toStringUtf8();
                case 2 -> value = in.readBytes().toStringUtf8();
                default -> in.skipField(tag);
            }
        }
        into.put(name, value);
    }

    /** {@code google.protobuf.Duration}: int64 seconds = 1, int32 nanos = 2. */
    private static long durationMs(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        long seconds = 0;
        int nanos = 0;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> seconds = in.readInt64();
                case 2 -> nanos = in.readInt32();
                default -> in.skipField(tag);
            }
        }
        return seconds * 1000 + nanos / 1_000_000;
    }

    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            if (!name.isEmpty()) out.writeString(1, name);
            if (!namespace.isEmpty()) out.writeString(2, namespace);
            out.writeByteArray(3, duration(intervalMs));
            for (Rule r : rules) out.writeByteArray(4, encodeRule(r));
            if (!user.isEmpty()) out.writeString(6, user);
            for (String t : sourceTenants) out.writeString(10, t);
            out.writeByteArray(11, duration(evaluationDelayMs));
            if (alignEvaluationTimeOnInterval) out.writeBool(12, true);
            out.writeByteArray(13, duration(queryOffsetMs));
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] encodeRule(Rule r) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        if (!r.expr().isEmpty()) out.writeString(1, r.expr());
        if (!r.record().isEmpty()) out.writeString(2, r.record());
        if (!r.alert().isEmpty()) out.writeString(3, r.alert());
        out.writeByteArray(4, duration(r.forMs()));
        for (Map.Entry<String, String> l : r.labels().entrySet()) out.writeByteArray(5, label(l));
        for (Map.Entry<String, String> a : r.annotations().entrySet()) out.writeByteArray(6, label(a));
        out.writeByteArray(13, duration(r.keepFiringForMs()));
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] label(Map.Entry<String, String> l) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeByteArray(1, l.getKey().getBytes(StandardCharsets.UTF_8));
        out.writeByteArray(2, l.getValue().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] duration(long ms) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        long seconds = Math.floorDiv(ms, 1000);
        int nanos = (int) Math.floorMod(ms, 1000) * 1_000_000;
        if (seconds != 0) out.writeInt64(1, seconds);
        if (nanos != 0) out.writeInt32(2, nanos);
        out.flush();
        return bytes.toByteArray();
    }

    // ---- Prometheus rule-file form ------------------------------------------------------------------------------

    /** A Prometheus rule file with this one group (what {@code mimirtool rules get} would print). */
    public String toRuleFileYaml() {
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("name", name);
        if (intervalMs > 0) group.put("interval", promDuration(intervalMs));
        long offset = queryOffsetMs > 0 ? queryOffsetMs : evaluationDelayMs;
        if (offset > 0) group.put("query_offset", promDuration(offset));
        if (!sourceTenants.isEmpty()) group.put("source_tenants", sourceTenants);
        List<Map<String, Object>> ruleList = new ArrayList<>();
        for (Rule r : rules) {
            Map<String, Object> rule = new LinkedHashMap<>();
            if (!r.record().isEmpty()) rule.put("record", r.record());
            if (!r.alert().isEmpty()) rule.put("alert", r.alert());
            rule.put("expr", r.expr());
            if (r.forMs() > 0) rule.put("for", promDuration(r.forMs()));
            if (r.keepFiringForMs() > 0) rule.put("keep_firing_for", promDuration(r.keepFiringForMs()));
            if (!r.labels().isEmpty()) rule.put("labels", r.labels());
            if (!r.annotations().isEmpty()) rule.put("annotations", r.annotations());
            ruleList.add(rule);
        }
        group.put("rules", ruleList);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(Map.of("groups", List.of(group)));
    }

    /** Prometheus duration text: {@code 1m30s}, {@code 250ms}. */
    static String promDuration(long ms) {
        if (ms == 0) return "0s";
        StringBuilder sb = new StringBuilder();
        long[] units = {3_600_000, 60_000, 1000, 1};
        String[] names = {"h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (ms >= units[i]) {
                sb.append(ms / units[i]).append(names[i]);
                ms %= units[i];
            }
        }
        return sb.toString();
    }
}
