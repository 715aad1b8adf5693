package io.flinkruler.kafka;

import io.flinkruler.source.Sample;
import io.flinkruler.source.SampleTypeInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka records to samples: the tenant comes from a record header (matched ignoring case, as HTTP headers are),
 * else the default tenant; the value is decoded by the format's {@link SampleDecoder}, which also gets the record's
 * {@code Content-Type} header (a remote-write bridge may copy it from the HTTP request). A record that cannot be
 * decoded is skipped and counted (metric {@code kafkaRecordsUndecodable}, and per reason in group
 * {@code reason}); the first of each reason is logged with topic, partition and offset, so one bad producer
 * does not flood the log.
 */
public final class SampleRecordDeserializer implements KafkaRecordDeserializationSchema<Sample> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SampleRecordDeserializer.class);
    public static final String CONTENT_TYPE_HEADER = "Content-Type";

    private final SampleDecoder decoder;
    private final String tenantHeader;
    private final String defaultTenant;

    private transient List<Sample> buffer;
    private transient Counter records;
    private transient Counter samples;
    private transient Counter undecodable;
    private transient Map<UndecodableReason, Counter> undecodableByReason;
    private transient Set<UndecodableReason> logged;

    public SampleRecordDeserializer(KafkaRecordFormat format, String tenantHeader, String defaultTenant) {
        if (!isValidTenant(defaultTenant)) throw new IllegalArgumentException("invalid default tenant \"" + defaultTenant + "\"");
        this.decoder = SampleDecoder.of(format);
        this.tenantHeader = tenantHeader;
        this.defaultTenant = defaultTenant;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        open(context.getMetricGroup());
    }

    /** Registers the metrics in {@code metrics}; {@link #open(DeserializationSchema.InitializationContext)} calls it. */
    public void open(MetricGroup metrics) {
        buffer = new ArrayList<>();
        records = metrics.counter("kafkaRecordsIn", new SimpleCounter());
        samples = metrics.counter("kafkaSamplesDecoded", new SimpleCounter());
        undecodable = metrics.counter("kafkaRecordsUndecodable", new SimpleCounter());
        undecodableByReason = new EnumMap<>(UndecodableReason.class);
        MetricGroup byReason = metrics.addGroup("reason");
        for (UndecodableReason r : UndecodableReason.values()) {
            undecodableByReason.put(r, byReason.addGroup(r.metricName()).counter("kafkaRecordsUndecodable", new SimpleCounter()));
        }
        logged = EnumSet.noneOf(UndecodableReason.class);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Sample> out) {
        records.inc();
        buffer.clear();
        try {
            byte[] value = record.value();
            if (value == null || value.length == 0) throw new UndecodableRecordException(UndecodableReason.EMPTY_VALUE, "no value");
            decoder.decode(value, headerValue(record, CONTENT_TYPE_HEADER), tenantOf(record), buffer);
        } catch (UndecodableRecordException e) {
            skip(record, e);
            return;
        }
        for (Sample s : buffer) out.collect(s);
        samples.inc(buffer.size());
    }

    private String tenantOf(ConsumerRecord<byte[], byte[]> record) throws UndecodableRecordException {
        String tenant = headerValue(record, tenantHeader);
        if (tenant == null) return defaultTenant;
        if (!isValidTenant(tenant)) {
            throw new UndecodableRecordException(UndecodableReason.INVALID_TENANT, "header " + tenantHeader + " is not a tenant name: \""
                    + (tenant.length() > 100 ? tenant.substring(0, 100) + "..." : tenant) + "\"");
        }
        return tenant;
    }

    /** The last header named {@code name} (ignoring case), "" if it has no value, null if there is none. */
    private static String headerValue(ConsumerRecord<byte[], byte[]> record, String name) {
        Header found = null;
        for (Header h : record.headers()) {
            if (h.key().equalsIgnoreCase(name)) found = h;
        }
        if (found == null) return null;
        return found.value() == null ? "" : new String(found.value(), StandardCharsets.UTF_8);
    }

    private void skip(ConsumerRecord<byte[], byte[]> record, UndecodableRecordException e) {
        undecodable.inc();
        undecodableByReason.get(e.reason()).inc();
        if (logged.add(e.reason())) {
            LOG.warn("Skipping a Kafka record that cannot be decoded ({}): topic {} partition {} offset {}: {}. "
                    + "Further records skipped for this reason are only counted (metric reason.{}.kafkaRecordsUndecodable).",
                    e.reason().metricName(), record.topic(), record.partition(), record.offset(), e.getMessage(), e.reason().metricName());
        }
    }

    /** The tenant names rule storage can hold: a non-empty folder name. */
    static boolean isValidTenant(String tenant) {
        return tenant != null && !tenant.isEmpty() && !tenant.contains("/") && !tenant.equals(".") && !tenant.equals("..")
                && tenant.chars().noneMatch(Character::isISOControl);
    }

    @Override
    public TypeInformation<Sample> getProducedType() { return SampleTypeInfo.INSTANCE; }
}
