package io.flinkruler.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.flinkruler.model.Labels;
import io.flinkruler.source.Sample;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * One sample per record in prometheus-kafka-adapter's JSON layout:
 * <pre>
 * {"timestamp": "2020-01-01T00:00:00Z", "value": "1.5", "name": "up", "labels": {"__name__": "up", "job": "x"}}
 * </pre>
 * {@code timestamp} is RFC 3339 (any offset, fractions of a second allowed) or a number of Unix milliseconds;
 * {@code value} is a decimal string as Go's {@code FormatFloat} writes it ({@code NaN}, {@code +Inf}, {@code -Inf}
 * included) or a JSON number; {@code name} becomes {@code __name__} when the labels have none. Other fields
 * (the adapter may add metadata) and the Content-Type header are ignored.
 */
public final class JsonSampleDecoder implements SampleDecoder {
    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public void decode(byte[] value, String contentType, String tenant, List<Sample> out) throws UndecodableRecordException {
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw invalidJson("not a JSON object");
            Long timestampMs = null;
            Double sampleValue = null;
            String name = null;
            TreeMap<String, String> labels = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken token = p.nextToken();
                switch (field) {
                    case "timestamp" -> timestampMs = timestamp(p, token);
                    case "value" -> sampleValue = value(p, token);
                    case "name" -> name = token == JsonToken.VALUE_NULL ? null : string(p, token, "name");
                    case "labels" -> labels = labels(p, token);
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) throw invalidJson("not a JSON object");
            if (p.nextToken() != null) throw invalidJson("more than one JSON value");
            if (timestampMs == null) throw invalidSample("no timestamp");
            if (sampleValue == null) throw invalidSample("no value");
            if (labels == null) labels = new TreeMap<>();
            if (name != null && !name.isEmpty()) labels.putIfAbsent(Labels.METRIC_NAME, name);
            Labels series = Labels.fromMap(labels);
            if (series.size() == 0) throw invalidSample("a sample without labels");
            out.add(new Sample(tenant, series, timestampMs, sampleValue));
        } catch (IOException e) {
            throw new UndecodableRecordException(UndecodableReason.INVALID_JSON, "not JSON: " + e.getMessage(), e);
        }
    }

    private static long timestamp(JsonParser p, JsonToken token) throws IOException, UndecodableRecordException {
        if (token == JsonToken.VALUE_NUMBER_INT) return p.getLongValue();
        String text = string(p, token, "timestamp");
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw invalidSample("timestamp is not RFC 3339: \"" + text + "\"");
        }
    }

    private static double value(JsonParser p, JsonToken token) throws IOException, UndecodableRecordException {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) return p.getDoubleValue();
        String text = string(p, token, "value");
        switch (text.toLowerCase(Locale.ROOT)) {
            case "nan": return Double.NaN;
            case "inf", "+inf": return Double.POSITIVE_INFINITY;
            case "-inf": return Double.NEGATIVE_INFINITY;
            default: break;
        }
        // Double.parseDouble also takes "Infinity", hex floats and a trailing d/f: none of these is a Go float
        if (!text.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
            throw invalidSample("value is not a number: \"" + text + "\"");
        }
        return Double.parseDouble(text);
    }

    private static TreeMap<String, String> labels(JsonParser p, JsonToken token) throws IOException, UndecodableRecordException {
        if (token != JsonToken.START_OBJECT) throw invalidJson("labels is not an object");
        TreeMap<String, String> labels = new TreeMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String value = string(p, p.nextToken(), "label " + name);
            if (name.isEmpty()) throw invalidSample("a label with an empty name");
            labels.put(name, value);
        }
        return labels;
    }

    private static String string(JsonParser p, JsonToken token, String what) throws IOException, UndecodableRecordException {
        if (token != JsonToken.VALUE_STRING) throw invalidJson(what + " is not a string");
        return p.getText();
    }

    private static UndecodableRecordException invalidJson(String detail) {
        return new UndecodableRecordException(UndecodableReason.INVALID_JSON, detail);
    }

    private static UndecodableRecordException invalidSample(String detail) {
        return new UndecodableRecordException(UndecodableReason.INVALID_SAMPLE, detail);
    }
}
