package io.flinkruler.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkruler.model.Labels;
import io.flinkruler.source.Sample;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonSampleDecoderTest {
    private static final long T2020 = 1_577_836_800_000L;

    private static List<Sample> decode(String json) throws UndecodableRecordException {
        List<Sample> out = new ArrayList<>();
        new JsonSampleDecoder().decode(json.getBytes(StandardCharsets.UTF_8), null, "team-a", out);
        return out;
    }

    private static UndecodableReason failure(String json) {
        return assertThrows(UndecodableRecordException.class, () -> decode(json)).reason();
    }

    @Test
    void readsThePrometheusKafkaAdapterLayout() throws Exception {
        List<Sample> samples = decode("""
                {"timestamp": "2020-01-01T00:00:00Z", "value": "9876543210", "name": "up",
                 "labels": {"__name__": "up", "label1": "value1", "label2": "value2"}}""");
        assertEquals(List.of(new Sample("team-a", Labels.of("__name__", "up", "label1", "value1", "label2", "value2"), T2020, 9876543210.0)),
                samples);
    }

    @Test
    void readsFractionsOffsetsAndMillisecondNumbers() throws Exception {
        assertEquals(T2020 + 1500, decode("{\"timestamp\":\"2020-01-01T00:00:01.5Z\",\"value\":\"1\",\"labels\":{\"__name__\":\"x\"}}").get(0).timestampMs());
        assertEquals(T2020, decode("{\"timestamp\":\"2020-01-01T01:00:00+01:00\",\"value\":\"1\",\"labels\":{\"__name__\":\"x\"}}").get(0).timestampMs());
        assertEquals(T2020 + 7, decode("{\"timestamp\":" + (T2020 + 7) + ",\"value\":1.25,\"labels\":{\"__name__\":\"x\"}}").get(0).timestampMs());
    }

    @Test
    void readsGoFloatSpellings() throws Exception {
        assertTrue(Double.isNaN(valueOf("\"NaN\"")));
        assertEquals(Double.POSITIVE_INFINITY, valueOf("\"+Inf\""));
        assertEquals(Double.NEGATIVE_INFINITY, valueOf("\"-Inf\""));
        assertEquals(-0.001, valueOf("\"-0.001\""));
        assertEquals(1.5e-7, valueOf("\"1.5e-07\""));
        assertEquals(42.0, valueOf("42"));
        assertEquals(UndecodableReason.INVALID_SAMPLE, failure("{\"timestamp\":\"2020-01-01T00:00:00Z\",\"value\":\"0x10\",\"labels\":{\"__name__\":\"x\"}}"));
        assertEquals(UndecodableReason.INVALID_SAMPLE, failure("{\"timestamp\":\"2020-01-01T00:00:00Z\",\"value\":\"1.5d\",\"labels\":{\"__name__\":\"x\"}}"));
    }

    private static double valueOf(String jsonValue) throws UndecodableRecordException {
        return decode("{\"timestamp\":\"2020-01-01T00:00:00Z\",\"value\":" + jsonValue + ",\"labels\":{\"__name__\":\"x\"}}").get(0).value();
    }

    @Test
    void nameFillsAMissingMetricNameAndEmptyLabelsAreDropped() throws Exception {
        Sample s = decode("{\"timestamp\":\"2020-01-01T00:00:00Z\",\"value\":\"1\",\"name\":\"up\",\"labels\":{\"job\":\"a\",\"empty\":\"\"},\"extra\":[1,{\"x\":2}]}").get(0);
        assertEquals(Labels.of("__name__", "up", "job", "a"), s.labels());
    }

    @Test
    void rejectsWhatIsNotOneSample() {
        assertEquals(UndecodableReason.INVALID_JSON, failure("not json"));
        assertEquals(UndecodableReason.INVALID_JSON, failure("[1,2]"));
        assertEquals(UndecodableReason.INVALID_JSON, failure("{\"timestamp\":\"2020-01-01T00:00:00Z\",\"value\":\"1\",\"labels\":{\"__name__\":\"x\"}"));
        assertEquals(UndecodableReason.INVALID_JSON, failure("{\"timestamp\":\"2020-01-01T00:00:00Z\",\"value\":\"1\",\"labels\":{\"__name__\":\"x\"}} {}"));
        assertEquals(UndecodableReason.INVALID_JSON, failure("{\"timestamp\":\"2020-01-01T00:00:00Z\",\"value\":\"1\",\"labels\":[\"x\"]}"));
        assertEquals(UndecodableReason.INVALID_SAMPLE, failure("{\"value\":\"1\",\"labels\":{\"__name__\":\"x\"}}"));
        assertEquals(UndecodableReason.INVALID_SAMPLE, failure("{\"timestamp\":\"2020-01-01T00:00:00Z\",\"labels\":{\"__name__\":\"x\"}}"));
        assertEquals(UndecodableReason.INVALID_SAMPLE, failure("{\"timestamp\":\"yesterday\",\"value\":\"1\",\"labels\":{\"__name__\":\"x\"}}"));
        assertEquals(UndecodableReason.INVALID_SAMPLE, failure("{\"timestamp\":\"2020-01-01T00:00:00Z\",\"value\":\"1\",\"labels\":{}}"));
    }
}
