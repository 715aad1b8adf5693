package io.flinkruler.kafka;

import io.flinkruler.source.Sample;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/**
 * Builds Flink's {@link KafkaSource} for samples. Each Kafka partition is a split with its own watermark when the
 * job's {@code WatermarkStrategy} is given to {@code fromSource}, so partitions that lag behind hold the watermark
 * back instead of having their samples dropped as late.
 */
public final class KafkaSampleSource {
    private KafkaSampleSource() {}

    public static KafkaSource<Sample> create(KafkaSampleSourceSettings settings) {
        Properties properties = new Properties();
        properties.putAll(settings.properties());
        KafkaSourceBuilder<Sample> builder = KafkaSource.<Sample>builder()
                .setProperties(properties)
                .setBootstrapServers(settings.bootstrapServers())
                .setGroupId(settings.groupId())
                .setStartingOffsets(settings.startingOffsets().initializer())
                .setDeserializer(new SampleRecordDeserializer(settings.format(), settings.tenantHeader(), settings.defaultTenant()));
        if (settings.topics().isEmpty()) builder.setTopicPattern(Pattern.compile(settings.topicPattern()));
        else builder.setTopics(settings.topics());
        if (settings.stopAtTimestampMs() != KafkaSampleSourceSettings.NO_STOP) {
            builder.setBounded(OffsetsInitializer.timestamp(settings.stopAtTimestampMs()));
        } else if (settings.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }
}
