package io.flinkruler.remotewrite.internal;

import io.flinkruler.model.Labels;
import io.flinkruler.rules.RemoteWriteConfig.RelabelConfig;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies an endpoint's {@code write_relabel_configs} to a series, with Prometheus's {@code model/relabel}
 * semantics: rules run in order on a mutable label set, setting a label to "" removes it, {@code keep}/{@code drop}
 * and the {@code *equal} actions can drop the series, regex templates expand as Go's {@code Regexp.Expand}
 * ({@code $1}, {@code ${1}}, {@code ${name}}, {@code $$}; an unknown group expands to ""), and {@code hashmod}
 * takes the last 8 bytes of the MD5 of the joined values.
 */
public final class Relabeler {
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final List<Rule> rules;

    public Relabeler(List<RelabelConfig> configs) {
        List<Rule> compiled = new ArrayList<>(configs.size());
        for (RelabelConfig c : configs) compiled.add(new Rule(c, c.pattern()));
        this.rules = List.copyOf(compiled);
    }

    public boolean isEmpty() { return rules.isEmpty(); }

    /** The relabeled series, or null when a rule drops it. */
    public Labels apply(Labels series) {
        if (rules.isEmpty()) return series;
        Labels.Builder b = series.toBuilder();
        for (Rule rule : rules) {
            if (!rule.apply(b)) return null;
        }
        return b.build();
    }

    private record Rule(RelabelConfig config, Pattern regex) {
        boolean apply(Labels.Builder b) {
            String value = joinedSourceValues(b);
            switch (config.action()) {
                case DROP -> { return !regex.matcher(value).matches(); }
                case KEEP -> { return regex.matcher(value).matches(); }
                case DROPEQUAL -> { return !b.get(config.targetLabel()).equals(value); }
                case KEEPEQUAL -> { return b.get(config.targetLabel()).equals(value); }
                case REPLACE -> replace(b, value);
                case LOWERCASE -> b.set(config.targetLabel(), value.toLowerCase(Locale.ROOT));
                case UPPERCASE -> b.set(config.targetLabel(), value.toUpperCase(Locale.ROOT));
                case HASHMOD -> b.set(config.targetLabel(), Long.toUnsignedString(Long.remainderUnsigned(md5Tail(value), config.modulus())));
                case LABELMAP -> {
                    for (String[] label : snapshot(b)) {
                        Matcher m = regex.matcher(label[0]);
                        if (m.matches()) b.set(expand(config.replacement(), m), label[1]);
                    }
                }
                case LABELDROP -> {
                    for (String[] label : snapshot(b)) if (regex.matcher(label[0]).matches()) b.remove(label[0]);
                }
                case LABELKEEP -> {
                    for (String[] label : snapshot(b)) if (!regex.matcher(label[0]).matches()) b.remove(label[0]);
                }
            }
            return true;
        }

        private void replace(Labels.Builder b, String value) {
            if (value.isEmpty() && config.hasDefaultRegex() && !config.targetLabel().contains("$") && !config.replacement().contains("$")) {
                b.set(config.targetLabel(), config.replacement());
                return;
            }
            Matcher m = regex.matcher(value);
            if (!m.matches()) return;
            String target = expand(config.targetLabel(), m);
            if (!LABEL_NAME.matcher(target).matches()) return;
            String result = expand(config.replacement(), m);
            if (result.isEmpty()) b.remove(target);
            else b.set(target, result);
        }

        private String joinedSourceValues(Labels.Builder b) {
            List<String> sources = config.sourceLabels();
            if (sources.isEmpty()) return "";
            if (sources.size() == 1) return b.get(sources.get(0));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < sources.size(); i++) {
                if (i > 0) sb.append(config.separator());
                sb.append(b.get(sources.get(i)));
            }
            return sb.toString();
        }

        private static List<String[]> snapshot(Labels.Builder b) {
            Labels current = b.build();
            List<String[]> labels = new ArrayList<>(current.size());
            for (int i = 0; i < current.size(); i++) labels.add(new String[] {current.name(i), current.value(i)});
            return labels;
        }
    }

    /** Go's {@code Regexp.Expand} of {@code template} with the groups of a successful match. */
    static String expand(String template, Matcher match) {
        if (template.indexOf('$') < 0) return template;
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 < template.length() && template.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            String name;
            int next;
            if (i + 1 < template.length() && template.charAt(i + 1) == '{') {
                int close = template.indexOf('}', i + 2);
                name = close < 0 ? "" : template.substring(i + 2, close);
                next = close + 1;
                if (close < 0 || name.isEmpty() || !isWord(name)) name = null;
            } else {
                int end = i + 1;
                while (end < template.length() && isWordChar(template.charAt(end))) end++;
                name = end == i + 1 ? null : template.substring(i + 1, end);
                next = end;
            }
            if (name == null) { // malformed: the $ is literal text
                out.append('$');
                i++;
                continue;
            }
            out.append(group(match, name));
            i = next;
        }
        return out.toString();
    }

    private static String group(Matcher match, String name) {
        int number = groupNumber(name);
        String value;
        if (number >= 0) {
            value = number <= match.groupCount() ? match.group(number) : null;
        } else {
            try {
                value = match.group(name);
            } catch (IllegalArgumentException noSuchGroup) {
                value = null;
            }
        }
        return value == null ? "" : value;
    }

    /** A group number as Go reads it (no leading zeros, below 1e8), else -1 (a group name). */
    private static int groupNumber(String name) {
        if (name.length() > 1 && name.charAt(0) == '0') return -1;
        int n = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9' || n >= 100_000_000) return -1;
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static boolean isWord(String s) {
        for (int i = 0; i < s.length(); i++) if (!isWordChar(s.charAt(i))) return false;
        return true;
    }

    private static boolean isWordChar(char c) {
        return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static long md5Tail(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(value.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 8, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }
}
