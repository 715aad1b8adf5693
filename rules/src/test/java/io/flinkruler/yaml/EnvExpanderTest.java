package io.flinkruler.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvExpanderTest {
    private static final Map<String, String> ENV = Map.of("HOST", "minio", "PORT", "9000", "EMPTY", "");

    @Test
    void expandsBracedVariablesAndDefaults() {
        assertEquals("minio:9000", EnvExpander.expand("${HOST}:${PORT}", ENV));
        assertEquals("http://fallback/x", EnvExpander.expand("http://${MISSING:-fallback}/x", ENV));
        assertEquals("d", EnvExpander.expand("${EMPTY:-d}", ENV));
        assertEquals("", EnvExpander.expand("${EMPTY}", ENV));
        assertEquals("minio", EnvExpander.expand("${HOST:-other}", ENV));
    }

    @Test
    void leavesBareDollarsAndEscapes() {
        assertEquals("pa$$word$HOST", EnvExpander.expand("pa$$word$HOST", ENV));
        assertEquals("${HOST}", EnvExpander.expand("$${HOST}", ENV));
        assertEquals("no dollars", EnvExpander.expand("no dollars", ENV));
    }

    @Test
    void unsetVariableIsAnErrorNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnvExpander.expand("x${NOPE}", ENV));
        assertEquals("environment variable NOPE is not set", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EnvExpander.expand("${HOST", ENV));
        assertThrows(IllegalArgumentException.class, () -> EnvExpander.expand("${1A}", ENV));
    }
}
