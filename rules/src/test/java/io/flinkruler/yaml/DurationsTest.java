package io.flinkruler.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesEveryUnitAndCombinations() {
        assertEquals(0, Durations.parseMillis("0"));
        assertEquals(0, Durations.parseMillis("0s"));
        assertEquals(100, Durations.parseMillis("100ms"));
        assertEquals(10_000, Durations.parseMillis("10s"));
        assertEquals(300_000, Durations.parseMillis("5m"));
        assertEquals(5_400_000, Durations.parseMillis("1h30m"));
        assertEquals(86_400_000L, Durations.parseMillis("1d"));
        assertEquals(7 * 86_400_000L, Durations.parseMillis("1w"));
        assertEquals(365 * 86_400_000L, Durations.parseMillis("1y"));
        assertEquals(365 * 86_400_000L + 7 * 86_400_000L + 86_400_000L + 3_600_000 + 60_000 + 1000 + 1,
                Durations.parseMillis("1y1w1d1h1m1s1ms"));
        assertEquals(90_000, Durations.parseMillis("90s"));
    }

    @Test
    void rejectsWhatPrometheusRejects() {
        for (String bad : new String[] {"", "5", "1.5h", "-1m", "5x", "1m1h", "1s1s", " 1m", "1M", "10us", "1h 30m"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parseMillis(bad), bad);
            assertEquals("not a valid duration string: \"" + bad + "\"", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Durations.parseMillis("99999999999999999999y"));
    }

    @Test
    void formatsShortestForm() {
        assertEquals("0s", Durations.format(0));
        assertEquals("1h30m", Durations.format(5_400_000));
        assertEquals("1m500ms", Durations.format(60_500));
        assertEquals("1w1d", Durations.format(8 * 86_400_000L));
        for (String s : new String[] {"1y2w3d4h5m6s7ms", "15s", "100ms"}) {
            assertEquals(s, Durations.format(Durations.parseMillis(s)));
        }
    }
}
