package io.flinkruler.promql.ast;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Renders expressions back to PromQL in the format of Prometheus's {@code String()} methods (printer.go),
 * which appears in error messages and rule checks. Also hosts the Go-compatible quoting and duration
 * formatting those renderings (and parser error messages) rely on.
 */
public final class PromqlPrinter {
    private PromqlPrinter() {}

    public static String print(Expr expr) {
        StringBuilder b = new StringBuilder();
        write(b, expr);
        return b.toString();
    }

    private static void write(StringBuilder b, Expr expr) {
        if (expr instanceof NumberLiteral n) {
            b.append(formatNumber(n.value()));
        } else if (expr instanceof StringLiteral s) {
            b.append(quote(s.value()));
        } else if (expr instanceof VectorSelector v) {
            writeSelector(b, v, true);
        } else if (expr instanceof MatrixSelector m) {
            writeSelector(b, m.selector(), false);
            b.append('[').append(formatDuration(m.rangeMs())).append(']');
            writeAtAndOffset(b, m.selector().at(), m.selector().offsetMs());
        } else if (expr instanceof SubqueryExpr s) {
            write(b, s.expr());
            b.append('[').append(formatDuration(s.rangeMs())).append(':');
            if (s.stepMs() != 0) b.append(formatDuration(s.stepMs()));
            b.append(']');
            writeAtAndOffset(b, s.at(), s.offsetMs());
        } else if (expr instanceof Call c) {
            b.append(c.function().name()).append('(');
            writeList(b, c.args());
            b.append(')');
        } else if (expr instanceof AggregateExpr a) {
            b.append(a.op().keyword());
            if (a.without()) {
                b.append(" without (");
                writeLabels(b, a.grouping());
                b.append(") ");
            } else if (!a.grouping().isEmpty()) {
                b.append(" by (");
                writeLabels(b, a.grouping());
                b.append(") ");
            }
            b.append('(');
            if (a.param() != null) {
                write(b, a.param());
                b.append(", ");
            }
            write(b, a.expr());
            b.append(')');
        } else if (expr instanceof BinaryExpr e) {
            write(b, e.lhs());
            b.append(' ').append(e.op().symbol);
            if (e.returnBool()) b.append(" bool");
            writeMatching(b, e.matching());
            b.append(' ');
            write(b, e.rhs());
        } else if (expr instanceof UnaryExpr u) {
            b.append('-');
            write(b, u.expr());
        } else if (expr instanceof ParenExpr p) {
            b.append('(');
            write(b, p.expr());
            b.append(')');
        } else if (expr instanceof StepInvariantExpr s) {
            write(b, s.expr());
        }
    }

    private static void writeList(StringBuilder b, List<Expr> exprs) {
        for (int i = 0; i < exprs.size(); i++) {
            if (i > 0) b.append(", ");
            write(b, exprs.get(i));
        }
    }

    private static void writeMatching(StringBuilder b, VectorMatching vm) {
        if (vm == null) return;
        boolean grouped = vm.card() == VectorMatching.Cardinality.MANY_TO_ONE || vm.card() == VectorMatching.Cardinality.ONE_TO_MANY;
        if (!vm.matchingLabels().isEmpty() || vm.on() || grouped) {
            b.append(vm.on() ? " on (" : " ignoring (");
            writeLabels(b, vm.matchingLabels());
            b.append(')');
        }
        if (grouped) {
            b.append(vm.card() == VectorMatching.Cardinality.MANY_TO_ONE ? " group_left (" : " group_right (");
            writeLabels(b, vm.include());
            b.append(')');
        }
    }

    private static void writeSelector(StringBuilder b, VectorSelector v, boolean withModifiers) {
        List<String> rendered = new ArrayList<>();
        for (LabelMatcher m : v.matchers()) {
            // The matcher the parser derived from the metric name is already printed as the name.
            if (m.name().equals("__name__") && m.type() == LabelMatcher.Type.EQ && m.value().equals(v.name()) && !m.value().isEmpty()) {
                continue;
            }
            rendered.add(m.toString());
        }
        if (v.name() != null) b.append(v.name());
        if (!rendered.isEmpty()) {
            Collections.sort(rendered);
            b.append('{').append(String.join(",", rendered)).append('}');
        }
        if (withModifiers) writeAtAndOffset(b, v.at(), v.offsetMs());
    }

    private static void writeAtAndOffset(StringBuilder b, AtModifier at, long offsetMs) {
        if (at != null) {
            switch (at.kind()) {
                case TIMESTAMP -> b.append(" @ ").append(BigDecimal.valueOf(at.timestampMs()).movePointLeft(3).setScale(3).toPlainString());
                case START -> b.append(" @ start()");
                case END -> b.append(" @ end()");
            }
        }
        if (offsetMs > 0) b.append(" offset ").append(formatDuration(offsetMs));
        else if (offsetMs < 0) b.append(" offset -").append(formatDuration(-offsetMs));
    }

    private static void writeLabels(StringBuilder b, List<String> labels) {
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) b.append(", ");
            String l = labels.get(i);
            b.append(isLegacyLabelName(l) ? l : quote(l));
        }
    }

    /** {@code [a-zA-Z_][a-zA-Z0-9_]*}: names that need no quoting. */
    public static boolean isLegacyLabelName(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) return false;
        }
        return true;
    }

    /** As Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}, with Prometheus's spelling of infinities. */
    public static String formatNumber(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return (v == 0 && 1 / v < 0 ? "-" : "") + Long.toString((long) v);
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    /** As Prometheus's {@code model.Duration.String()}: e.g. 90m -> "1h30m", 0 -> "0s". */
    public static String formatDuration(long ms) {
        if (ms == 0) return "0s";
        StringBuilder r = new StringBuilder();
        if (ms < 0) {
            r.append('-');
            ms = -ms;
        }
        long[] mults = {365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000, 1000L, 1L};
        String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
        for (int i = 0; i < mults.length; i++) {
            // Years and weeks only when exact: "90d" reads better than "12w6d".
            if (i < 2 && ms % mults[i] != 0) continue;
            long v = ms / mults[i];
            if (v > 0) {
                r.append(v).append(units[i]);
                ms -= v * mults[i];
            }
        }
        return r.toString();
    }

    /** As Go's {@code strconv.Quote}: double quotes, C-style escapes, non-printable characters escaped. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            appendEscapedRune(b, cp, '"');
        }
        return b.append('"').toString();
    }

    /** As Go's {@code %q} of a rune: {@code 'x'}. */
    public static String quoteRune(int cp) {
        StringBuilder b = new StringBuilder("'");
        appendEscapedRune(b, cp < 0 ? 0xFFFD : cp, '\'');
        return b.append('\'').toString();
    }

    private static void appendEscapedRune(StringBuilder b, int cp, char quote) {
        switch (cp) {
            case 0x07 -> b.append("\\a");
            case '\b' -> b.append("\\b");
            case '\f' -> b.append("\\f");
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            case 0x0B -> b.append("\\v");
            case '\\' -> b.append("\\\\");
            default -> {
                if (cp == quote) {
                    b.append('\\').append(quote);
                } else if (isPrintable(cp)) {
                    b.appendCodePoint(cp);
                } else if (cp < 0x80) {
                    b.append(String.format("\\x%02x", cp));
                } else if (cp < 0x10000) {
                    b.append(String.format("\\u%04x", cp));
                } else {
                    b.append(String.format("\\U%08x", cp));
                }
            }
        }
    }

    /** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isPrintable(int cp) {
        if (cp == ' ') return true;
        return switch (Character.getType(cp)) {
            case Character.UNASSIGNED, Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                 Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
