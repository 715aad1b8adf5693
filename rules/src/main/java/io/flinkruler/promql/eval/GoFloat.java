package io.flinkruler.promql.eval;

import java.math.BigDecimal;

/** Float formatting and parsing with Go's strconv conventions, which Prometheus's texts use. */
public final class GoFloat {
    private GoFloat() {}

    /** Go's {@code strconv.FormatFloat(f, 'f', -1, 64)}: shortest digits, never an exponent. */
    public static String formatPlain(double f) {
        if (Double.isNaN(f)) return "NaN";
        if (Double.isInfinite(f)) return f > 0 ? "+Inf" : "-Inf";
        if (f == 0) return (Double.doubleToRawLongBits(f) < 0) ? "-0" : "0";
        String s = new BigDecimal(Double.toString(f)).stripTrailingZeros().toPlainString();
        return s;
    }

    /** Go's {@code %g} (shortest digits; exponent form when exp < -4 or exp >= threshold). */
    public static String formatG(double f, int threshold) {
        if (Double.isNaN(f)) return "NaN";
        if (Double.isInfinite(f)) return f > 0 ? "+Inf" : "-Inf";
        if (f == 0) return (Double.doubleToRawLongBits(f) < 0) ? "-0" : "0";
        BigDecimal d = new BigDecimal(Double.toString(f)).stripTrailingZeros();
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale();
        String sign = f < 0 ? "-" : "";
        if (exp < -4 || exp >= threshold) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String e = String.valueOf(Math.abs(exp));
            if (e.length() < 2) e = "0" + e;
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + e;
        }
        return sign + d.abs().toPlainString();
    }

    public static String formatG(double f) { return formatG(f, 6); }

    /** Go's {@code %v} for a float64 (like %g with threshold 21). */
    public static String formatV(double f) { return formatG(f, 21); }

    /** Go's {@code strconv.ParseFloat}: accepts Inf/+Inf/-Inf/NaN in any case, and hex floats. */
    public static double parse(String s) {
        String t = s.trim();
        String lower = t.toLowerCase();
        switch (lower) {
            case "inf", "+inf", "infinity", "+infinity": return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity": return Double.NEGATIVE_INFINITY;
            case "nan", "+nan", "-nan": return Double.NaN;
            default: break;
        }
        if (lower.startsWith("0x") || lower.startsWith("-0x") || lower.startsWith("+0x")) {
            if (!lower.contains("p")) {
                boolean neg = lower.startsWith("-");
                String hex = lower.substring(lower.indexOf('x') + 1).replace("_", "");
                double v = new java.math.BigInteger(hex, 16).doubleValue();
                return neg ? -v : v;
            }
            return Double.parseDouble(t);
        }
        if (t.isEmpty() || t.endsWith("d") || t.endsWith("D") || t.endsWith("f") || t.endsWith("F")) {
            throw new NumberFormatException("invalid float: " + s);
        }
        return Double.parseDouble(t.replace("_", ""));
    }
}
