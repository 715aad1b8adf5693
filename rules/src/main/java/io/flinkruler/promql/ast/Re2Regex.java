package io.flinkruler.promql.ast;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles regular expressions written in Go's RE2 syntax (what Prometheus accepts) with
 * java.util.regex. The syntaxes mostly agree; this rewrites the differences that would silently change
 * a match ({@code [[:alpha:]]}, a literal {@code [} or {@code &&} inside a class, a literal {@code {}),
 * converts {@code (?P<name>...)}, and rejects what RE2 does not support (lookaround, backreferences,
 * possessive and atomic groups) with RE2's error wording.
 */
public final class Re2Regex {
    private Re2Regex() {}

    private static final Map<String, String> POSIX_CLASSES = Map.ofEntries(
            Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"), Map.entry("ascii", "\\x00-\\x7F"),
            Map.entry("blank", "\\t "), Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "0-9"),
            Map.entry("graph", "\\p{Graph}"), Map.entry("lower", "a-z"), Map.entry("print", "\\p{Print}"),
            Map.entry("punct", "\\p{Punct}"), Map.entry("space", "\\t\\n\\x0B\\f\\r "), Map.entry("upper", "A-Z"),
            Map.entry("word", "\\w"), Map.entry("xdigit", "0-9A-Fa-f"));

    /** A pattern that must match the whole input, as Prometheus anchors label matcher regexes. */
    public static Pattern compileAnchored(String re2) {
        return Pattern.compile("^(?:" + toJava(re2) + ")$", Pattern.DOTALL | Pattern.UNICODE_CASE);
    }

    /** The RE2 expression in java.util.regex syntax; throws PatternSyntaxException for unsupported syntax. */
    public static String toJava(String re) {
        StringBuilder out = new StringBuilder(re.length() + 8);
        boolean inClass = false;
        int classStart = -1;
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                if (i + 1 >= re.length()) throw unsupported("trailing backslash at end of expression", "", re);
                char n = re.charAt(i + 1);
                if (!inClass && n >= '1' && n <= '9') throw unsupported("invalid escape sequence", "\\" + n, re);
                if (n == 'Z') throw unsupported("invalid escape sequence", "\\Z", re);
                out.append(c).append(n);
                i++;
                continue;
            }
            if (inClass) {
                if (c == '[' && re.startsWith("[:", i)) {
                    int close = re.indexOf(":]", i + 2);
                    if (close > 0) {
                        String name = re.substring(i + 2, close);
                        boolean negated = name.startsWith("^");
                        String cls = POSIX_CLASSES.get(negated ? name.substring(1) : name);
                        if (cls == null) throw unsupported("invalid character class range", re.substring(i, close + 2), re);
                        out.append(negated ? "[^" + cls + "]" : cls);
                        i = close + 1;
                        continue;
                    }
                }
                if (c == '[') {
                    out.append("\\[");
                } else if (c == '&' && i + 1 < re.length() && re.charAt(i + 1) == '&') {
                    out.append("&\\&");
                    i++;
                } else if (c == ']' && i > classStart + 1 && !(i == classStart + 2 && re.charAt(classStart + 1) == '^')) {
                    inClass = false;
                    out.append(c);
                } else if (c == ']') {
                    out.append("\\]"); // "[]a]" and "[^]a]": a leading ] is literal in RE2
                } else {
                    out.append(c);
                }
                continue;
            }
            switch (c) {
                case '[' -> {
                    inClass = true;
                    classStart = i;
                    out.append(c);
                }
                case '(' -> {
                    if (re.startsWith("(?P<", i)) {
                        out.append("(?<");
                        i += 3;
                    } else if (re.startsWith("(?=", i) || re.startsWith("(?!", i) || re.startsWith("(?<", i) || re.startsWith("(?>", i)) {
                        throw unsupported("invalid or unsupported Perl syntax", re.substring(i, Math.min(re.length(), i + 3)), re);
                    } else {
                        out.append(c);
                    }
                }
                case '{' -> {
                    int end = repetitionEnd(re, i);
                    if (end < 0) {
                        out.append("\\{"); // not a repetition: a literal brace in RE2
                    } else {
                        out.append(re, i, end + 1);
                        i = end;
                        checkNotPossessive(re, i);
                    }
                }
                case '}' -> out.append("\\}");
                case '*', '+', '?' -> {
                    out.append(c);
                    checkNotPossessive(re, i);
                }
                default -> out.append(c);
            }
        }
        if (inClass) throw unsupported("missing closing ]", re.substring(classStart), re);
        return out.toString();
    }

    private static void checkNotPossessive(String re, int quantifierEnd) {
        int next = quantifierEnd + 1;
        if (next < re.length() && re.charAt(next) == '+') {
            throw unsupported("invalid nested repetition operator", re.substring(quantifierEnd, next + 1), re);
        }
    }

    /** End index of "{n}", "{n,}" or "{n,m}" starting at {@code start}, or -1. */
    private static int repetitionEnd(String re, int start) {
        int i = start + 1;
        int digits = 0;
        while (i < re.length() && Character.isDigit(re.charAt(i))) {
            i++;
            digits++;
        }
        if (digits == 0 || i >= re.length()) return -1;
        if (re.charAt(i) == ',') {
            i++;
            while (i < re.length() && Character.isDigit(re.charAt(i))) i++;
        }
        return i < re.length() && re.charAt(i) == '}' ? i : -1;
    }

    /** Go's "error parsing regexp: ..." text for a compile error of {@link #compileAnchored}. */
    public static String describeError(PatternSyntaxException e, String re) {
        String d = e.getDescription();
        if (d.contains("`")) return "error parsing regexp: " + d;
        String code;
        if (d.startsWith("Unclosed group")) code = "missing closing ): `" + re + "`";
        else if (d.startsWith("Unmatched closing")) code = "unexpected ): `" + re + "`";
        else if (d.startsWith("Dangling meta character")) code = "missing argument to repetition operator: `" + d.charAt(d.length() - 2) + "`";
        else if (d.startsWith("Unclosed character class")) code = "missing closing ]: `" + re + "`";
        else if (d.contains("escape sequence")) code = "invalid escape sequence: `" + re + "`";
        else code = d + ": `" + re + "`";
        return "error parsing regexp: " + code;
    }

    private static PatternSyntaxException unsupported(String code, String part, String re) {
        return new PatternSyntaxException(code + ": `" + part + "`", re, -1) {
            @Override public String getMessage() { return getDescription(); }
        };
    }
}
