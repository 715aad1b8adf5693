package io.flinkruler.remotewrite;

import io.flinkruler.remotewrite.internal.Backoff;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {
    @Test
    void delaysDoubleWithJitterUpToTheCeiling() {
        for (int run = 0; run < 200; run++) {
            Backoff backoff = new Backoff(Duration.ofMillis(30), Duration.ofSeconds(5));
            long ceiling = 30;
            for (int attempt = 0; attempt < 12; attempt++) {
                long delay = backoff.next(null).toMillis();
                assertTrue(delay >= ceiling / 2 && delay <= ceiling, "attempt " + attempt + ": " + delay + " not in [" + ceiling / 2 + ", " + ceiling + "]");
                ceiling = Math.min(ceiling * 2, 5000);
            }
        }
    }

    @Test
    void retryAfterReplacesTheDrawnDelay() {
        Backoff backoff = new Backoff(Duration.ofMillis(30), Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(7), backoff.next(Duration.ofSeconds(7)));
    }

    @Test
    void rejectsMaxBelowMin() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
