package io.flinkruler.promqltest;

import io.flinkruler.model.Labels;
import io.flinkruler.model.StaleMarker;
import io.flinkruler.promql.eval.GoFloat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Prometheus's series description notation of test scripts: {@code name{a="b"} 1+2x3 _ stale 5x2}.
 * Values: a number; {@code _} (no sample); {@code stale}; {@code AxN} (N+1 copies); {@code A+BxN} /
 * {@code A-BxN} (N+1 values stepping by B); {@code _xN} (N blanks). Native histogram values
 * ({@code {{...}}}) are recognised and reported, not decoded.
 */
final class SeriesNotation {
    /** A parsed line: labels and one entry per step; null entries are omitted samples. */
    record Series(Labels labels, List<Double> values, boolean hasHistograms) {}

    private final String s;
    private int pos;

    private SeriesNotation(String s) {
        this.s = s;
    }

    static Series parse(String line) {
        SeriesNotation p = new SeriesNotation(line.trim());
        Labels labels = p.parseLabels();
        List<Double> values = new ArrayList<>();
        boolean histograms = false;
        while (true) {
            p.skipSpace();
            if (p.pos >= p.s.length()) break;
            if (p.s.startsWith("{{", p.pos)) {
                p.skipHistogram(line);
                if (p.pos + 2 < p.s.length() && (p.s.charAt(p.pos) == '+' || p.s.charAt(p.pos) == '-') && p.s.startsWith("{{", p.pos + 1)) {
                    p.pos++;
                    p.skipHistogram(line);
                }
                histograms = true;
                String rest = p.token();
                int copies = rest.startsWith("x") ? Integer.parseInt(rest.substring(1)) + 1 : 1;
                for (int i = 0; i < copies; i++) values.add(null);
                continue;
            }
            p.expand(p.token(), values, line);
        }
        return new Series(labels, values, histograms);
    }

    private void skipHistogram(String line) {
        int end = s.indexOf("}}", pos);
        if (end < 0) throw new IllegalArgumentException("unterminated histogram in: " + line);
        pos = end + 2;
    }

    private String token() {
        int start = pos;
        while (pos < s.length() && !Character.isWhitespace(s.charAt(pos))) pos++;
        return s.substring(start, pos);
    }

    private void skipSpace() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
    }

    private void expand(String tok, List<Double> values, String line) {
        if (tok.equals("_")) {
            values.add(null);
            return;
        }
        if (tok.startsWith("_x")) {
            int n = Integer.parseInt(tok.substring(2));
            for (int i = 0; i < n; i++) values.add(null);
            return;
        }
        if (tok.equals("stale")) {
            values.add(StaleMarker.VALUE);
            return;
        }
        int x = tok.lastIndexOf('x');
        if (x > 0 && tok.substring(x + 1).chars().allMatch(Character::isDigit)
                && x + 1 < tok.length()) {
            String head = tok.substring(0, x);
            int times = Integer.parseInt(tok.substring(x + 1));
            // Split "A+B" / "A-B" at the operator that follows the first number.
            int op = splitIndex(head);
            double start = number(op < 0 ? head : head.substring(0, op));
            double step = op < 0 ? 0 : number(head.substring(op));
            double v = start;
            for (int i = 0; i <= times; i++) {
                values.add(v);
                v += step;
            }
            return;
        }
        values.add(number(tok));
    }

    /** Index of the +/- that separates A and B in "A+B", skipping a leading sign and exponent signs. */
    private static int splitIndex(String head) {
        for (int i = 1; i < head.length(); i++) {
            char c = head.charAt(i);
            if ((c == '+' || c == '-') && Character.toLowerCase(head.charAt(i - 1)) != 'e') return i;
        }
        return -1;
    }

    static double number(String t) {
        return GoFloat.parse(t);
    }

    private Labels parseLabels() {
        TreeMap<String, String> m = new TreeMap<>();
        int start = pos;
        while (pos < s.length() && s.charAt(pos) != '{' && !Character.isWhitespace(s.charAt(pos))) pos++;
        String name = s.substring(start, pos);
        if (!name.isEmpty()) m.put(Labels.METRIC_NAME, name);
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == '{' && !s.startsWith("{{", pos)) {
            pos++;
            while (true) {
                skipSpace();
                if (pos >= s.length()) throw new IllegalArgumentException("unterminated label set: " + s);
                if (s.charAt(pos) == '}') {
                    pos++;
                    break;
                }
                String labelName;
                if (s.charAt(pos) == '"' || s.charAt(pos) == '\'') labelName = quoted();
                else {
                    int ls = pos;
                    while (pos < s.length() && "=!~,} \t".indexOf(s.charAt(pos)) < 0) pos++;
                    labelName = s.substring(ls, pos);
                }
                skipSpace();
                if (pos < s.length() && s.charAt(pos) == '=') {
                    pos++;
                    skipSpace();
                    m.put(labelName, quoted());
                } else {
                    m.put(Labels.METRIC_NAME, labelName);
                }
                skipSpace();
                if (pos < s.length() && s.charAt(pos) == ',') pos++;
            }
        }
        return Labels.fromMap(m);
    }

    private String quoted() {
        char q = s.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (pos < s.length() && s.charAt(pos) != q) {
            char c = s.charAt(pos++);
            if (c == '\\' && q != '`') {
                char e = s.charAt(pos++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case '\\' -> sb.append('\\');
                    case '"' -> sb.append('"');
                    case '\'' -> sb.append('\'');
                    case 'x' -> {
                        sb.append((char) Integer.parseInt(s.substring(pos, pos + 2), 16));
                        pos += 2;
                    }
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
        pos++;
        return sb.toString();
    }
}
