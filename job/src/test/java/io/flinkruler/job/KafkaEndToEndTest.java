package io.flinkruler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.flinkruler.config.RulerConfig;
import io.flinkruler.kafka.RemoteWriteVersion;
import io.flinkruler.kafka.UndecodableReason;
import io.flinkruler.model.Labels;
import io.flinkruler.remotewrite.SeriesSamples;
import io.flinkruler.remotewrite.WriteRequestCodec;
import io.flinkruler.remotewrite.WriteRequestV2Codec;
import io.flinkruler.testsupport.KafkaProcess;
import io.flinkruler.testsupport.LabeledSample;
import io.flinkruler.testsupport.OpenMetricsTestData;
import io.flinkruler.testsupport.PrometheusOracle;
import io.flinkruler.testsupport.PrometheusProcess;
import io.flinkruler.testsupport.Sample;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job reading samples from a real Kafka broker: two tenants (one by the {@code X-Scope-OrgID} header, one
 * by the default tenant) spread over several partitions, remote-write 1.0 and 2.0 requests mixed in one topic (with
 * and without a Content-Type header), undecodable records in between, one partition that never gets a record. What reaches the receiving Prometheus must equal Prometheus's own evaluation of the same rules over
 * each tenant's data.
 */
class KafkaEndToEndTest {
    private static final long START = OpenMetricsTestData.DEFAULT_START_MS;
    private static final Duration LENGTH = Duration.ofMinutes(20);
    private static final long MINUTE = 60_000;
    private static final String HEADER_TENANT = "team-a";
    private static final String DEFAULT_TENANT = "team-b";
    private static final List<String> TENANTS = List.of(HEADER_TENANT, DEFAULT_TENANT);
    private static final List<String> TARGETS = List.of("a", "b", "c", "d", "rooms");
    private static final Duration RESULT_TIMEOUT = Duration.ofMinutes(4);

    /**
     * A recording rule of the test: group interval, record name, expression; compared from {@code warmUpMs} after the
     * data starts. Each tenant's copy adds the label tenant.
     */
    private record RuleCase(long intervalMs, String record, String expr, long warmUpMs) {
        RuleCase(long intervalMs, String record, String expr) { this(intervalMs, record, expr, 0); }
    }

    private static final List<RuleCase> RULES = List.of(
            new RuleCase(60_000, "job_method:http_requests:rate5m", "sum by (job, method) (rate(http_requests_total[5m]))"),
            new RuleCase(60_000, "instance:process_cpu:irate", "irate(process_cpu_seconds_total[1m])"),
            new RuleCase(60_000, "job:memory_usage_bytes:max10m", "max by (job) (max_over_time(memory_usage_bytes[10m]))"),
            new RuleCase(60_000, "job:request_duration_seconds:p90",
                    "histogram_quantile(0.9, sum by (job, le) (rate(request_duration_seconds_bucket[5m])))",
                    // While 5m ranges reach before the data's start, each bucket's rate is extrapolated to its own zero
                    // point, and buckets can come out non-monotonic; Prometheus 2.42 (the oracle) and 3.x repair that
                    // differently (seen at 00:01 with these seeds, with any source): compared once ranges are full.
                    5 * MINUTE),
            new RuleCase(30_000, "instances:up", "count without (instance, version) (build_info)"),
            new RuleCase(30_000, "room:temperature_fahrenheit", "avg_over_time(temperature_celsius[3m]) * 1.8 + 32"));

    private static KafkaProcess kafka;
    private static final Map<String, OpenMetricsTestData> DATA = new LinkedHashMap<>();
    private static final Map<String, PrometheusOracle> ORACLES = new LinkedHashMap<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void startBrokerAndOracles() {
        kafka = KafkaProcess.start();
        for (int i = 0; i < TENANTS.size(); i++) {
            OpenMetricsTestData data = OpenMetricsTestData.generate(START, LENGTH, 100 + i);
            DATA.put(TENANTS.get(i), data);
            ORACLES.put(TENANTS.get(i), PrometheusOracle.fromOpenMetrics(data.text()));
        }
    }

    @AfterAll
    static void stopAll() {
        ORACLES.values().forEach(PrometheusOracle::close);
        if (kafka != null) kafka.close();
    }

    @BeforeEach
    void clearCounters() { CollectedCounters.clear(); }

    /**
     * Remote-write records (one request per target and scrape, as a remote-write-to-Kafka bridge writes them) on 4
     * partitions, one of them empty; a bounded source reads up to the latest offsets and the job ends.
     */
    @Test
    void boundedRemoteWriteTopicEqualsPrometheusEvaluation() throws Exception {
        String topic = "rw-samples";
        kafka.createTopic(topic, 4);
        Map<Integer, List<ProducerRecord<byte[], byte[]>>> partitions = remoteWriteRecords(topic, 3);   // partition 3 stays empty
        for (List<ProducerRecord<byte[], byte[]>> records : partitions.values()) records.sort((x, y) -> Long.compare(x.timestamp(), y.timestamp()));
        List<SeriesSamples> someSeries = List.of(new SeriesSamples(Labels.of("__name__", "x"), new long[] {START}, new double[] {1}));
        List<byte[]> garbage = List.of("garbage".getBytes(StandardCharsets.UTF_8),
                WriteRequestCodec.compress(new byte[] {0x0a, 0x7f, 0x01}), new byte[0],
                WriteRequestCodec.compress(concat(WriteRequestCodec.encode(someSeries), WriteRequestV2Codec.encode(someSeries))),
                WriteRequestCodec.compress(withOutOfRangeSymbolRef(WriteRequestV2Codec.encode(someSeries))));
        insertInTheMiddle(partitions.get(0), topic, 0, garbage, HEADER_TENANT);
        // a valid request with a tenant no rule storage can hold
        partitions.get(1).add(partitions.get(1).size() / 2, withTenantHeader(partitions.get(1).get(0), "../etc"));
        produce(partitions);

        try (PrometheusProcess receiver = PrometheusProcess.start(dir.resolve("receiver"))) {
            PipelineSettings settings = settings(receiver, topic, "remote_write", true);
            StreamExecutionEnvironment env = environment(settings);
            env.execute("flink-ruler kafka bounded");

            List<String> problems = compare(receiver, Long.MAX_VALUE);
            if (!problems.isEmpty()) fail(problems.size() + " differences from Prometheus:\n" + String.join("\n", problems.subList(0, Math.min(40, problems.size()))));
        }
        assertEquals(Map.of(UndecodableReason.NOT_SNAPPY, 1L, UndecodableReason.NOT_PROTOBUF, 1L, UndecodableReason.EMPTY_VALUE, 1L,
                UndecodableReason.INVALID_TENANT, 1L, UndecodableReason.VERSION_CONFLICT, 1L, UndecodableReason.INVALID_SYMBOL_REF, 1L),
                undecodableByReason());
        assertEquals(6, undecodableTotal(), "undecodable records counted");
        assertEquals(0, CollectedCounters.sum("samplesDroppedLate"), "in-order partitions give no late samples");
    }

    /**
     * Backfill from Kafka: the topic is read from a record timestamp to a record timestamp around the window, and
     * only the window's evaluation timestamps are evaluated and delivered, equal to Prometheus's evaluation.
     */
    @Test
    void backfillReadsATimestampRangeOfTheTopicAndEvaluatesOnlyTheWindow() throws Exception {
        String topic = "rw-backfill";
        kafka.createTopic(topic, 2);
        Map<Integer, List<ProducerRecord<byte[], byte[]>>> partitions = remoteWriteRecords(topic, 2);
        for (List<ProducerRecord<byte[], byte[]>> records : partitions.values()) records.sort((x, y) -> Long.compare(x.timestamp(), y.timestamp()));
        produce(partitions);

        long start = DATA.get(TENANTS.get(0)).startMs();
        long from = start + 8 * MINUTE;
        long to = start + 14 * MINUTE;
        try (PrometheusProcess receiver = PrometheusProcess.start(dir.resolve("receiver-backfill"))) {
            PipelineSettings settings = settings(receiver, topic, "remote_write", false)
                    .asBackfill(new PipelineSettings.Backfill(from, to, null), 10 * MINUTE);
            environment(settings).execute("flink-ruler kafka backfill");
            List<String> problems = compare(receiver, from, to);
            if (!problems.isEmpty()) fail(problems.size() + " differences:\n" + String.join("\n", problems.subList(0, Math.min(40, problems.size()))));
        }
    }

    /**
     * JSON records (prometheus-kafka-adapter's layout, one sample each) read by an unbounded source: 2 of 3
     * partitions have records, the third never does and must not stall evaluation (idle_timeout). All data first;
     * once evaluations have passed a point in time, samples older than it arrive (dropped and counted for their
     * tenant). The job is cancelled once every comparable evaluation has been delivered.
     */
    @Test
    void streamingJsonTopicWithIdlePartitionAndLateSamples() throws Exception {
        String topic = "json-samples";
        kafka.createTopic(topic, 3);
        long split = START + 10 * MINUTE;
        Map<Integer, List<ProducerRecord<byte[], byte[]>>> firstHalf = new TreeMap<>();
        Map<Integer, List<ProducerRecord<byte[], byte[]>>> secondHalf = new TreeMap<>();
        Map<Integer, Long> lastTimestamp = new TreeMap<>();
        for (String tenant : TENANTS) {
            for (LabeledSample s : DATA.get(tenant).samples()) {
                int partition = partitionOf(tenant, s.labels(), 2);   // partition 2 stays empty
                (s.timestampMs() < split ? firstHalf : secondHalf).computeIfAbsent(partition, p -> new ArrayList<>())
                        .add(record(topic, partition, s.timestampMs(), json(s), tenant));
                lastTimestamp.merge(partition, s.timestampMs(), Math::max);
            }
        }
        for (List<ProducerRecord<byte[], byte[]>> records : firstHalf.values()) records.sort((x, y) -> Long.compare(x.timestamp(), y.timestamp()));
        for (List<ProducerRecord<byte[], byte[]>> records : secondHalf.values()) records.sort((x, y) -> Long.compare(x.timestamp(), y.timestamp()));
        insertInTheMiddle(firstHalf.get(1), topic, 1, List.of("{\"timestamp\": ".getBytes(StandardCharsets.UTF_8),
                WriteRequestCodec.encodeCompressed(List.of(new SeriesSamples(Labels.of("__name__", "x"), new long[] {split}, new double[] {1}))),
                new byte[0]), HEADER_TENANT);
        // All data up front. A pause in which every partition goes idle caught the rule source's old maximum
        // watermark (218 differences), but when the partitions resume, the first to read its backlog moves event
        // time past the others' first samples (idle partitions do not count): that race made it fail now and then.
        // RuleSourceTest covers the idle case with a source that resumes one round at a time.
        produce(firstHalf);
        produce(secondHalf);

        long outOfOrderness = 15_000;
        try (PrometheusProcess receiver = PrometheusProcess.start(dir.resolve("receiver"))) {
            PipelineSettings settings = settings(receiver, topic, "json", false);
            assertEquals(outOfOrderness, settings.outOfOrdernessMs());
            JobClient job = environment(settings).executeAsync("flink-ruler kafka streaming");
            try {
                long evaluated = split - 2 * MINUTE;
                awaitSample(receiver, "instances:up", HEADER_TENANT, evaluated);

                // older than an evaluation that has run: dropped, and counted for team-a
                Labels late = Labels.of("__name__", "build_info", "job", "api", "instance", "late", "version", "9");
                Map<Integer, List<ProducerRecord<byte[], byte[]>>> lateRecords = new TreeMap<>();
                for (long ts : new long[] {evaluated - 90_000, evaluated - 75_000, evaluated - 60_000}) {
                    lateRecords.computeIfAbsent(0, p -> new ArrayList<>())
                            .add(record(topic, 0, ts, json(new LabeledSample(late, ts, 1)), HEADER_TENANT));
                }
                produce(lateRecords);


                // what the watermark surely passes once every record is read: the least advanced partition, less the out-of-orderness
                long comparableUntil = lastTimestamp.values().stream().min(Long::compare).orElseThrow() - outOfOrderness - 1;
                List<String> problems = List.of();
                long deadline = System.nanoTime() + RESULT_TIMEOUT.toNanos();
                while (System.nanoTime() < deadline) {
                    problems = compare(receiver, comparableUntil);
                    if (problems.isEmpty()) break;
                    TimeUnit.SECONDS.sleep(2);
                }
                if (!problems.isEmpty()) {
                    fail(problems.size() + " differences from Prometheus after " + RESULT_TIMEOUT + ":\n"
                            + String.join("\n", problems.subList(0, Math.min(40, problems.size()))));
                }
            } finally {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        }
        assertEquals(Map.of(UndecodableReason.INVALID_JSON, 2L, UndecodableReason.EMPTY_VALUE, 1L), undecodableByReason());
        assertEquals(3, undecodableTotal(), "undecodable records counted");
        assertEquals(3, CollectedCounters.sum("tenant." + HEADER_TENANT + ".samplesDroppedLate"), "late samples of " + HEADER_TENANT);
        assertEquals(0, CollectedCounters.sum("tenant." + DEFAULT_TENANT + ".samplesDroppedLate"), "late samples of " + DEFAULT_TENANT);
    }

    /** The source's skip counters by reason (those above 0), summed over subtasks. */
    private static Map<UndecodableReason, Long> undecodableByReason() {
        Map<UndecodableReason, Long> out = new java.util.EnumMap<>(UndecodableReason.class);
        for (UndecodableReason r : UndecodableReason.values()) {
            long n = CollectedCounters.sum("reason." + r.metricName() + ".kafkaRecordsUndecodable");
            if (n > 0) out.put(r, n);
        }
        return out;
    }

    /** The total skip counter (its name is also the last part of the per-reason ones). */
    private static long undecodableTotal() {
        return CollectedCounters.sum("kafkaRecordsUndecodable") - undecodableByReason().values().stream().mapToLong(Long::longValue).sum();
    }

    // ---- the job -------------------------------------------------------------------------------------------------

    private PipelineSettings settings(PrometheusProcess receiver, String topic, String format, boolean bounded) throws Exception {
        for (String tenant : TENANTS) {
            Path rules = Files.createDirectories(dir.resolve("rules").resolve(tenant));
            Files.writeString(rules.resolve("kafka.yaml"), ruleFile(tenant));
        }
        Path config = dir.resolve("ruler.yaml");
        Files.writeString(config, """
                ruler:
                  evaluation_interval: 1m
                  poll_interval: 1s
                  storage: {type: local, local: {directory: ./rules}}
                  tenant_remote_write: {url: %s}
                source:
                  type: kafka
                  kafka:
                    bootstrap_servers: %s
                    topics: [%s]
                    group_id: ruler-%s
                    starting_offsets: earliest
                    format: %s
                    default_tenant: %s
                    idle_timeout: 10s
                    bounded: %s
                    properties: {max.poll.records: 1000}
                job:
                  parallelism: 2
                  shards: 16
                  checkpoint_interval: 300ms
                  out_of_orderness: 15s
                """.formatted(receiver.remoteWriteUrl(), kafka.bootstrapServers(), topic, topic, format, DEFAULT_TENANT, bounded));
        return PipelineSettingsFactory.from(RulerConfig.load(config), null);
    }

    private static StreamExecutionEnvironment environment(PipelineSettings settings) {
        Configuration conf = RulerJob.flinkConfiguration(settings);
        CollectedCounters.enable(conf);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(settings.parallelism());
        RulerPipeline.build(env, settings);
        return env;
    }

    private static String ruleFile(String tenant) {
        StringBuilder y = new StringBuilder("groups:\n");
        for (long interval : new long[] {60_000, 30_000}) {
            y.append("  - name: every-").append(interval / 1000).append("s\n    interval: ").append(interval / 1000).append("s\n    rules:\n");
            for (RuleCase r : RULES) {
                if (r.intervalMs != interval) continue;
                y.append("      - record: ").append(r.record).append("\n        expr: '").append(r.expr).append("'\n");
                y.append("        labels: {tenant: ").append(tenant).append("}\n");
            }
        }
        return y.toString();
    }

    // ---- records -------------------------------------------------------------------------------------------------

    /**
     * One remote-write request per tenant and scrape, as a bridge writes them, spread over {@code partitions}
     * partitions. Scrape by scrape the requests take turns: 1.0 without and with a Content-Type header, 2.0 with
     * and without one (so the version is detected from the request's fields).
     */
    private static Map<Integer, List<ProducerRecord<byte[], byte[]>>> remoteWriteRecords(String topic, int partitions) {
        Map<Integer, List<ProducerRecord<byte[], byte[]>>> out = new TreeMap<>();
        for (String tenant : TENANTS) {
            int n = 0;
            for (Map.Entry<String, List<LabeledSample>> scrape : scrapes(DATA.get(tenant)).entrySet()) {
                List<SeriesSamples> series = new ArrayList<>();
                for (LabeledSample s : scrape.getValue()) series.add(new SeriesSamples(s.labels(), new long[] {s.timestampMs()}, new double[] {s.value()}));
                long ts = scrape.getValue().get(0).timestampMs();
                int partition = partitionOf(tenant, scrape.getValue().get(0).labels(), partitions);
                int turn = n++ % 4;
                RemoteWriteVersion version = turn < 2 ? RemoteWriteVersion.V1 : RemoteWriteVersion.V2;
                byte[] value = version == RemoteWriteVersion.V1 ? WriteRequestCodec.encodeCompressed(series) : WriteRequestV2Codec.encodeCompressed(series);
                ProducerRecord<byte[], byte[]> r = record(topic, partition, ts, value, tenant);
                if (turn == 1 || turn == 2) r.headers().add("Content-Type", version.contentType().getBytes(StandardCharsets.UTF_8));
                out.computeIfAbsent(partition, p -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** {@code request} (2.0, uncompressed) plus a series whose label value refers to symbol 99. */
    private static byte[] withOutOfRangeSymbolRef(byte[] request) {
        // Request.timeseries (5, length 4) { labels_refs (1, packed, length 2) [1, 99] }
        return concat(request, new byte[] {0x2a, 4, 0x0a, 2, 0x01, 99});
    }

    /** The samples of one scrape (one target at one time), in time order of the scrapes. */
    private static Map<String, List<LabeledSample>> scrapes(OpenMetricsTestData data) {
        Map<String, List<LabeledSample>> byScrape = new TreeMap<>();
        for (LabeledSample s : data.samples()) {
            byScrape.computeIfAbsent(String.format("%015d/%s", s.timestampMs(), target(s.labels())), k -> new ArrayList<>()).add(s);
        }
        return byScrape;
    }

    private static String target(Labels labels) { return labels.has("instance") ? labels.get("instance") : "rooms"; }

    /** Targets spread over {@code partitions} partitions, each tenant differently, so partitions mix tenants. */
    private static int partitionOf(String tenant, Labels labels, int partitions) {
        return (TARGETS.indexOf(target(labels)) + TENANTS.indexOf(tenant)) % partitions;
    }

    /** team-a is named by the header; team-b records have none (the default tenant). */
    private static ProducerRecord<byte[], byte[]> record(String topic, int partition, long ts, byte[] value, String tenant) {
        RecordHeaders headers = new RecordHeaders();
        if (!tenant.equals(DEFAULT_TENANT)) headers.add(new RecordHeader("X-Scope-OrgID", tenant.getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(topic, partition, ts, null, value, headers);
    }

    private static ProducerRecord<byte[], byte[]> withTenantHeader(ProducerRecord<byte[], byte[]> r, String tenant) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("X-Scope-OrgID", tenant.getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(r.topic(), r.partition(), r.timestamp(), null, r.value(), headers);
    }

    private static void insertInTheMiddle(List<ProducerRecord<byte[], byte[]>> records, String topic, int partition, List<byte[]> values,
                                          String tenant) {
        int at = records.size() / 2;
        long ts = records.get(at).timestamp();
        for (byte[] v : values) records.add(at++, record(topic, partition, ts, v, tenant));
    }

    /** prometheus-kafka-adapter's JSON: RFC 3339 time, the value as Go's FormatFloat(v, 'f', -1, 64) writes it. */
    private static byte[] json(LabeledSample s) {
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < s.labels().size(); i++) {
            if (i > 0) labels.append(", ");
            labels.append('"').append(s.labels().name(i)).append("\": \"").append(s.labels().value(i)).append('"');
        }
        String value = BigDecimal.valueOf(s.value()).stripTrailingZeros().toPlainString();
        return ("{\"timestamp\": \"" + Instant.ofEpochMilli(s.timestampMs()) + "\", \"value\": \"" + value + "\", \"name\": \""
                + s.labels().metricName() + "\", \"labels\": {" + labels + "}}").getBytes(StandardCharsets.UTF_8);
    }

    /** Each partition's records in the given order (the producer keeps the order within a partition). */
    private static void produce(Map<Integer, List<ProducerRecord<byte[], byte[]>>> partitions) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (List<ProducerRecord<byte[], byte[]>> records : partitions.values()) {
                for (ProducerRecord<byte[], byte[]> r : records) sent.add(producer.send(r));
            }
            producer.flush();
            for (java.util.concurrent.Future<?> f : sent) f.get(60, TimeUnit.SECONDS);
        }
    }

    // ---- comparison ----------------------------------------------------------------------------------------------

    private static void awaitSample(PrometheusProcess receiver, String record, String tenant, long ts) throws InterruptedException {
        long deadline = System.nanoTime() + RESULT_TIMEOUT.toNanos();
        String selector = "{__name__=\"" + record + "\", tenant=\"" + tenant + "\"}";
        while (System.nanoTime() < deadline) {
            boolean found = receiver.seriesSamples(selector, ts - 1, ts).values().stream()
                    .anyMatch(samples -> samples.stream().anyMatch(s -> s.timestampMs() == ts));
            if (found) return;
            TimeUnit.SECONDS.sleep(1);
        }
        fail("no " + selector + " at " + Instant.ofEpochMilli(ts) + " after " + RESULT_TIMEOUT + ": evaluation is stalled");
    }

    private final Map<String, TreeMap<Labels, List<Sample>>> expectedCache = new TreeMap<>();

    /** Every tenant's every rule, at evaluation timestamps up to {@code until}: differences from Prometheus. */
    private List<String> compare(PrometheusProcess receiver, long until) { return compare(receiver, Long.MIN_VALUE, until); }

    private List<String> compare(PrometheusProcess receiver, long since, long until) {
        List<String> problems = new ArrayList<>();
        int equal = 0;
        for (String tenant : TENANTS) {
            OpenMetricsTestData data = DATA.get(tenant);
            long last = Math.min(until, data.endMs() + 15 * MINUTE);
            for (RuleCase r : RULES) {
                long first = Math.max(since, data.startMs() + r.warmUpMs);
                TreeMap<Labels, List<Sample>> expected = expectedCache.computeIfAbsent(tenant + "/" + r.record + "/" + first + "/" + last, k -> {
                    List<Long> timestamps = new ArrayList<>();
                    for (long t = Math.floorDiv(first + r.intervalMs - 1, r.intervalMs) * r.intervalMs; t <= last; t += r.intervalMs) {
                        timestamps.add(t);
                    }
                    return PrometheusOracle.withoutStaleMarkers(
                            ORACLES.get(tenant).recordingRuleOutput(r.record, Map.of("tenant", tenant), r.expr, timestamps));
                });
                assertFalse(expected.isEmpty(), "the oracle computed nothing for " + r.record + ": the test is broken");
                Map<Labels, List<Sample>> actual = filter(receiver.seriesSamples(
                        "{__name__=\"" + r.record + "\", tenant=\"" + tenant + "\"}", data.startMs() - MINUTE, last),
                        s -> s.timestampMs() <= last && s.timestampMs() >= data.startMs() + r.warmUpMs);
                if (since != Long.MIN_VALUE) {
                    for (List<Sample> samples : receiver.seriesSamples("{__name__=\"" + r.record + "\", tenant=\"" + tenant + "\"}",
                            data.startMs() - MINUTE, last + 30 * MINUTE).values()) {
                        for (Sample s : samples) {
                            if (s.timestampMs() < since || s.timestampMs() > until) problems.add(tenant + " " + r.record + ": sample outside the window at " + s.timestampMs());
                        }
                    }
                    actual = filter(actual, s -> s.timestampMs() >= first);
                }
                equal += compare(tenant + " " + r.record, expected, actual, problems);
            }
        }
        if (problems.isEmpty()) System.out.println("kafka end-to-end: " + equal + " recorded samples equal to Prometheus's evaluation");
        return problems;
    }

    private static Map<Labels, List<Sample>> filter(Map<Labels, List<Sample>> series, Function<Sample, Boolean> keep) {
        Map<Labels, List<Sample>> out = new TreeMap<>();
        series.forEach((l, samples) -> {
            List<Sample> kept = samples.stream().filter(keep::apply).toList();
            if (!kept.isEmpty()) out.put(l, kept);
        });
        return out;
    }

    private static int compare(String what, Map<Labels, List<Sample>> expected, Map<Labels, List<Sample>> actual, List<String> problems) {
        int equal = 0;
        for (Map.Entry<Labels, List<Sample>> e : expected.entrySet()) {
            Map<Long, Double> got = new TreeMap<>();
            for (Sample s : actual.getOrDefault(e.getKey(), List.of())) got.put(s.timestampMs(), s.value());
            for (Sample s : e.getValue()) {
                Double v = got.remove(s.timestampMs());
                if (v == null) problems.add(what + ": " + e.getKey() + " missing sample at " + Instant.ofEpochMilli(s.timestampMs()) + " (expected " + s.value() + ")");
                else if (!close(v, s.value())) problems.add(what + ": " + e.getKey() + " at " + Instant.ofEpochMilli(s.timestampMs()) + ": got " + v + ", Prometheus " + s.value());
                else equal++;
            }
            got.forEach((ts, v) -> problems.add(what + ": " + e.getKey() + " unexpected sample at " + Instant.ofEpochMilli(ts) + " = " + v));
        }
        for (Labels l : actual.keySet()) if (!expected.containsKey(l)) problems.add(what + ": unexpected series " + l);
        return equal;
    }

    /** Equal up to float rounding (Prometheus 3 sums with Kahan compensation, the 2.42 oracle does not). */
    private static boolean close(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.isNaN(a) && Double.isNaN(b);
        if (a == b) return true;
        return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
    }
}
