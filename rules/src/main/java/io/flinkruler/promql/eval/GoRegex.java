package io.flinkruler.promql.eval;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Bridges Go (RE2) regular expression syntax and replacement templates to java.util.regex. */
final class GoRegex {
    private GoRegex() {}

    /** Rewrites RE2-only syntax: named groups {@code (?P<name>...)}. */
    static String toJava(String re) {
        return re.replace("(?P<", "(?<");
    }

    /** Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$; unknown groups expand to nothing. */
    static String expand(String template, Matcher m, Pattern p) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= template.length()) {
                sb.append(c);
                i++;
                continue;
            }
            char next = template.charAt(i + 1);
            if (next == '$') {
                sb.append('$');
                i += 2;
                continue;
            }
            String name;
            int end;
            if (next == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0) {
                    sb.append(c);
                    i++;
                    continue;
                }
                name = template.substring(i + 2, close);
                end = close + 1;
                if (name.isEmpty() || !isWord(name)) {
                    sb.append(c);
                    i++;
                    continue;
                }
            } else {
                int j = i + 1;
                while (j < template.length() && isWordChar(template.charAt(j))) j++;
                if (j == i + 1) {
                    sb.append(c);
                    i++;
                    continue;
                }
                name = template.substring(i + 1, j);
                end = j;
            }
            sb.append(group(m, name));
            i = end;
        }
        return sb.toString();
    }

    private static String group(Matcher m, String name) {
        String g;
        if (name.chars().allMatch(Character::isDigit)) {
            int n;
            try {
                n = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                return "";
            }
            if (n > m.groupCount()) return "";
            g = m.group(n);
        } else {
            try {
                g = m.group(name);
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        return g == null ? "" : g;
    }

    private static boolean isWord(String s) {
        for (int i = 0; i < s.length(); i++) if (!isWordChar(s.charAt(i))) return false;
        return true;
    }

    private static boolean isWordChar(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
