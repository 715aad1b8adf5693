package io.flinkruler.promql.eval;

/** Natural ordering of strings (digit runs compare by numeric value), as sort_by_label uses. */
final class NaturalOrder {
    private NaturalOrder() {}

    /** True when a sorts before b. */
    static boolean compare(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i), cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i, sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) i++;
                while (j < b.length() && Character.isDigit(b.charAt(j))) j++;
                String na = strip(a.substring(si, i)), nb = strip(b.substring(sj, j));
                if (na.length() != nb.length()) return na.length() < nb.length();
                int c = na.compareTo(nb);
                if (c != 0) return c < 0;
                continue;
            }
            if (ca != cb) return ca < cb;
            i++;
            j++;
        }
        return a.length() - i < b.length() - j;
    }

    private static String strip(String digits) {
        int k = 0;
        while (k < digits.length() - 1 && digits.charAt(k) == '0') k++;
        return digits.substring(k);
    }
}
