package io.flinkruler.yaml;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus duration strings ({@code 1y2w3d4h5m6s7ms}, each unit at most once and in this order,
 * {@code 0} alone allowed), as Prometheus's common/model ParseDuration reads them. A year is 365 days,
 * a week 7 days. Negative values, fractions and Go's {@code 1.5h} or {@code 10us} are not durations here.
 */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile(
            "(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?");
    private static final long[] UNIT_MILLIS = {
            365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1};
    private static final String[] UNIT_NAMES = {"y", "w", "d", "h", "m", "s", "ms"};

    private Durations() {}

    /** Milliseconds of a Prometheus duration string; throws IllegalArgumentException with Prometheus's wording. */
    public static long parseMillis(String text) {
        if (text.equals("0")) return 0;
        Matcher m = DURATION.matcher(text);
        if (text.isEmpty() || !m.matches()) throw invalid(text);
        long total = 0;
        for (int i = 0; i < UNIT_MILLIS.length; i++) {
            String digits = m.group(i + 1);
            if (digits == null) continue;
            try {
                total = Math.addExact(total, Math.multiplyExact(Long.parseLong(digits), UNIT_MILLIS[i]));
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("duration out of range: \"" + text + "\"");
            }
        }
        return total;
    }

    /** The shortest Prometheus duration string of a non-negative number of milliseconds ("0s" for zero). */
    public static String format(long millis) {
        if (millis < 0) throw new IllegalArgumentException("negative duration: " + millis + "ms");
        if (millis == 0) return "0s";
        StringBuilder sb = new StringBuilder();
        long rest = millis;
        for (int i = 0; i < UNIT_MILLIS.length; i++) {
            long n = rest / UNIT_MILLIS[i];
            if (n > 0) {
                sb.append(n).append(UNIT_NAMES[i]);
                rest -= n * UNIT_MILLIS[i];
            }
        }
        return sb.toString();
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("not a valid duration string: \"" + text + "\"");
    }
}
