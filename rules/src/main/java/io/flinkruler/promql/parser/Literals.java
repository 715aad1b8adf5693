package io.flinkruler.promql.parser;

import io.flinkruler.promql.ast.PromqlPrinter;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/** Values of number, duration and string tokens, with the semantics (and error texts) of Go/Prometheus. */
final class Literals {
    private Literals() {}

    /** A literal whose text is well-formed for the lexer but has no valid value. */
    static final class InvalidLiteralException extends Exception {
        InvalidLiteralException(String message) {
            super(message, null, false, false);
        }
    }

    private static final BigInteger MAX_INT64 = BigInteger.valueOf(Long.MAX_VALUE);

    /**
     * Parses a NUMBER token as Prometheus does: first as an integer with Go's base prefixes ("0x1f",
     * octal "017"), otherwise as a float (including "Inf" and "NaN").
     */
    static double parseNumber(String text) throws InvalidLiteralException {
        Long asInt = parseGoInt(text);
        if (asInt != null) return asInt;
        String lower = text.toLowerCase();
        switch (lower) {
            case "inf", "+inf", "infinity", "+infinity": return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity": return Double.NEGATIVE_INFINITY;
            case "nan": return Double.NaN;
            default: break;
        }
        if (lower.startsWith("0x") || !text.matches("[0-9._eE+-]+")) {
            throw new InvalidLiteralException("error parsing number: strconv.ParseFloat: parsing " + PromqlPrinter.quote(text) + ": invalid syntax");
        }
        double v;
        try {
            v = Double.parseDouble(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new InvalidLiteralException("error parsing number: strconv.ParseFloat: parsing " + PromqlPrinter.quote(text) + ": invalid syntax");
        }
        if (Double.isInfinite(v)) {
            throw new InvalidLiteralException("error parsing number: strconv.ParseFloat: parsing " + PromqlPrinter.quote(text) + ": value out of range");
        }
        return v;
    }

    /** Go's strconv.ParseInt(s, 0, 64), or null when that fails. */
    private static Long parseGoInt(String text) {
        String s = text;
        int radix = 10;
        if (s.length() > 2 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X')) {
            radix = 16;
            s = s.substring(2);
        } else if (s.length() > 1 && s.charAt(0) == '0') {
            radix = 8;
            s = s.substring(1);
        }
        s = s.replace("_", "");
        if (s.isEmpty()) return null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch > 127 || Character.digit(ch, radix) < 0) return null;
        }
        BigInteger v = new BigInteger(s, radix);
        return v.compareTo(MAX_INT64) > 0 ? null : v.longValue();
    }

    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] UNIT_NANOS = {
            365L * 24 * 3600 * 1_000_000_000L, 7L * 24 * 3600 * 1_000_000_000L, 24L * 3600 * 1_000_000_000L,
            3600L * 1_000_000_000L, 60L * 1_000_000_000L, 1_000_000_000L, 1_000_000L};

    /** Prometheus's model.ParseDuration ("1h30m", units y w d h m s ms, biggest first), in nanoseconds. */
    static long parseDurationNanos(String text) throws InvalidLiteralException {
        if (text.equals("0")) return 0;
        if (text.isEmpty()) throw new InvalidLiteralException("empty duration string");
        String invalid = "not a valid duration string: " + PromqlPrinter.quote(text);
        BigInteger total = BigInteger.ZERO;
        int lastUnit = -1;
        int i = 0;
        while (i < text.length()) {
            int digitsStart = i;
            while (i < text.length() && Lexer.isDigit(text.charAt(i))) i++;
            if (i == digitsStart) throw new InvalidLiteralException(invalid);
            BigInteger v = new BigInteger(text.substring(digitsStart, i));
            if (v.bitLength() > 64) throw new InvalidLiteralException(invalid);
            int unitStart = i;
            while (i < text.length() && !Lexer.isDigit(text.charAt(i))) i++;
            if (i == unitStart) throw new InvalidLiteralException(invalid);
            String unit = text.substring(unitStart, i);
            int u = java.util.Arrays.asList(UNITS).indexOf(unit);
            if (u < 0) {
                throw new InvalidLiteralException("unknown unit " + PromqlPrinter.quote(unit) + " in duration " + PromqlPrinter.quote(text));
            }
            if (u <= lastUnit) throw new InvalidLiteralException(invalid);
            lastUnit = u;
            BigInteger mult = BigInteger.valueOf(UNIT_NANOS[u]);
            if (v.compareTo(BigInteger.ONE.shiftLeft(63).divide(mult)) > 0) throw new InvalidLiteralException("duration out of range");
            total = total.add(v.multiply(mult));
            if (total.compareTo(MAX_INT64) > 0) throw new InvalidLiteralException("duration out of range");
        }
        return total.longValue();
    }

    /** Go's time.Duration.Seconds(). */
    static double nanosToSeconds(long nanos) {
        return (double) (nanos / 1_000_000_000L) + (double) (nanos % 1_000_000_000L) / 1e9;
    }

    /**
     * The value of a STRING token (quotes included) as Prometheus's strutil.Unquote gives it. The lexer
     * has validated the escapes. {@code \x} and octal escapes are bytes, so they are assembled as UTF-8.
     */
    static String unquote(String token) {
        char quote = token.charAt(0);
        String body = token.substring(1, token.length() - 1);
        if (quote == '`') return body.replace("\r", "");
        if (body.indexOf('\\') < 0) return body;
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length());
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c != '\\') {
                int cp = body.codePointAt(i);
                i += Character.charCount(cp);
                writeUtf8(out, cp);
                continue;
            }
            char e = body.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a' -> out.write(0x07);
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(0x0B);
                case 'x' -> {
                    out.write(Integer.parseInt(body.substring(i, i + 2), 16));
                    i += 2;
                }
                case 'u' -> {
                    writeUtf8(out, Integer.parseInt(body.substring(i, i + 4), 16));
                    i += 4;
                }
                case 'U' -> {
                    writeUtf8(out, Integer.parseInt(body.substring(i, i + 8), 16));
                    i += 8;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        out.write(Integer.parseInt(body.substring(i - 1, i + 2), 8));
                        i += 2;
                    } else {
                        out.write(e); // \\, \' or \"
                    }
                }
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void writeUtf8(ByteArrayOutputStream out, int cp) {
        byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
    }
}
