package io.flinkruler.testsupport;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonSupportTest {

    @Test
    void readsAPrometheusAnswerWithExactTimestamps() {
        Map<String, Object> body = Json.object(Json.parse(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"__name__\":\"up\",\"a\":\"x\\\"y\\u00e9\"},"
                        + "\"value\":[1577836800.123,\"NaN\"]}]}}"));
        Map<String, Object> series = Json.object(Json.array(Json.object(body.get("data")).get("result")).get(0));
        assertEquals(Map.of("__name__", "up", "a", "x\"y\u00e9"), series.get("metric"));
        List<Object> value = Json.array(series.get("value"));
        assertEquals(new BigDecimal("1577836800.123"), value.get(0));
        assertEquals(1_577_836_800_123L, PrometheusProcess.millis((BigDecimal) value.get(0)));
        assertEquals(Double.NaN, PrometheusProcess.value(value.get(1)));
        assertEquals(Double.NEGATIVE_INFINITY, PrometheusProcess.value("-Inf"));
        assertEquals("1577836800.123", PrometheusProcess.seconds(1_577_836_800_123L));
    }

    @Test
    void readsLiteralsNestingAndWhitespace() {
        assertEquals(Arrays.asList(true, false, null, new BigDecimal("-1.5e3"), List.of(), Map.of()),
                Json.parse(" [ true , false , null , -1.5e3 , [ ] , { } ] "));
        assertNull(Json.parse("null"));
        assertEquals("a\nb\\/", Json.parse("\"a\\nb\\\\\\/\""));
    }

    @Test
    void rejectsMalformedInput() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("<html>"));
    }
}
