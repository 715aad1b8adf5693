package io.flinkruler.config;

import io.flinkruler.kafka.KafkaRecordFormat;
import io.flinkruler.kafka.StartingOffsets;
import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.RemoteWriteConfigParser;
import io.flinkruler.yaml.YamlException;
import io.flinkruler.yaml.YamlLoader;
import io.flinkruler.yaml.YamlMapping;
import io.flinkruler.yaml.YamlNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads the job config into {@link RulerConfig}, collecting every error and warning with its position. */
final class RulerConfigParser {
    private static final Set<String> TOP_FIELDS = Set.of("ruler", "source", "job");
    /** Blocks of a full Mimir/GEM config: accepted with a warning so a GEM config file can be used as it is. */
    private static final Set<String> MIMIR_TOP_FIELDS = Set.of("target", "multitenancy_enabled", "auth", "server",
            "distributor", "querier", "ingester_client", "ingester", "flusher", "limits", "frontend_worker", "frontend",
            "query_scheduler", "blocks_storage", "compactor", "store_gateway", "alertmanager", "alertmanager_storage",
            "runtime_config", "memberlist", "activity_tracker", "usage_stats", "common", "tenant_federation",
            "overrides_exporter", "cluster_name", "license", "admin_client", "admin_api", "graphite", "instrumentation",
            "api", "http_prefix", "cluster_validation", "query_frontend", "self_monitoring");
    private static final Set<String> RULER_FIELDS = Set.of("external_url", "rule_path", "evaluation_interval",
            "query_offset", "poll_interval", "enable_api", "enable_sharding", "ring", "storage", "tenant_remote_write",
            "remote_write");
    /** Alert-sending settings of Mimir's ruler: meaningless without alert evaluation. */
    private static final Set<String> RULER_ALERTING_FIELDS = Set.of("alertmanager_url", "alertmanager_client",
            "alertmanager_refresh_interval", "notification_queue_capacity", "notification_timeout",
            "for_outage_tolerance", "for_grace_period", "resend_delay", "search_pending_for");
    private static final Set<String> STORAGE_FIELDS = Set.of("type", "local", "prefix", "s3", "gcs", "azure", "swift",
            "format", "flink_config");
    private static final Set<String> S3_FIELDS = Set.of("endpoint", "region", "bucketnames", "bucket_name",
            "access_key_id", "secret_access_key", "insecure", "s3forcepathstyle", "s3", "signature_version");
    private static final Set<String> S3_UNUSED = Set.of("sse_encryption", "sse", "http_config", "http", "storage_class",
            "list_objects_version", "send_content_md5", "native_aws_auth_enabled", "dualstack_enabled",
            "bucket_lookup_type", "part_size", "trace", "max_retries");
    private static final Set<String> GCS_FIELDS = Set.of("bucket_name", "service_account");
    private static final Set<String> GCS_UNUSED = Set.of("chunk_buffer_size", "request_timeout", "enable_opencensus",
            "enable_retries", "http", "max_retries");
    private static final Set<String> AZURE_FIELDS = Set.of("environment", "account_name", "account_key",
            "container_name", "endpoint_suffix");
    private static final Set<String> AZURE_UNUSED = Set.of("download_buffer_size", "upload_buffer_size",
            "upload_buffer_count", "request_timeout", "max_retries", "min_retry_delay", "max_retry_delay",
            "use_managed_identity", "user_assigned_id", "connection_string", "http");
    private static final Set<String> SWIFT_FIELDS = Set.of("auth_version", "auth_url", "username", "user_domain_name",
            "user_domain_id", "user_id", "password", "domain_id", "domain_name", "project_id", "project_name",
            "project_domain_id", "project_domain_name", "region_name", "container_name");
    private static final Set<String> SWIFT_UNUSED = Set.of("internal", "max_retries", "connect_timeout",
            "request_timeout", "application_credential_id", "application_credential_name",
            "application_credential_secret");
    private static final Set<String> RULER_REMOTE_WRITE_FIELDS = Set.of("enabled", "wal_dir", "min_wal_time",
            "max_wal_time", "wal_truncate_frequency");
    private static final Set<String> SOURCE_FIELDS = Set.of("type", "openmetrics", "generator", "kafka");
    private static final Set<String> KAFKA_FIELDS = Set.of("bootstrap_servers", "topics", "topic_pattern", "group_id",
            "starting_offsets", "properties", "format", "tenant_header", "default_tenant", "idle_timeout", "bounded");
    /** Consumer properties that source.kafka sets itself: a value in properties would be overridden. */
    private static final Map<String, String> KAFKA_OWN_PROPERTIES = Map.of("bootstrap.servers", "bootstrap_servers",
            "group.id", "group_id", "auto.offset.reset", "starting_offsets");
    private static final Set<String> OPENMETRICS_FIELDS = Set.of("path", "tenant", "monitor_interval");
    private static final Set<String> GENERATOR_FIELDS = Set.of("tenant", "targets", "interval", "mode",
            "start", "duration", "seed");
    private static final Set<String> JOB_FIELDS = Set.of("parallelism", "shards", "checkpoint_interval",
            "out_of_orderness", "lookback_delta", "state_backend", "checkpoint_dir");
    static final String DEFAULT_TENANT = "anonymous";
    private static final int MAX_SHARDS = 32768; // Flink's upper bound of max parallelism

    private final String file;
    private final Map<String, String> env;
    private final Path baseDir;
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    RulerConfigParser(String file, Map<String, String> env) {
        this.file = file;
        this.env = env;
        Path parent = file.startsWith("classpath:") ? null : Path.of(file).toAbsolutePath().getParent();
        this.baseDir = parent != null ? parent : Path.of("").toAbsolutePath();
    }

    RulerConfig parse(String text) throws ConfigException {
        YamlNode root;
        try {
            root = YamlLoader.load(file, text, env);
        } catch (YamlException e) {
            throw new ConfigException(List.of(e.getMessage()));
        }
        YamlMapping top = read(root::asMapping, null);
        if (top == null) throw new ConfigException(errors);

        for (YamlMapping.Entry e : top.entries()) {
            if (MIMIR_TOP_FIELDS.contains(e.key())) {
                warn(e.keyNode(), e.key() + " is not used: flink-ruler only reads the ruler block of a Mimir/GEM config");
            } else if (e.key().equals("ruler_storage")) {
                error(e.keyNode(), "ruler_storage is not supported: configure rule storage under ruler.storage");
            }
        }
        Set<String> tolerated = new HashSet<>(MIMIR_TOP_FIELDS);
        tolerated.add("ruler_storage");
        errors(top.checkKeys(TOP_FIELDS, tolerated, "the config"));

        RulerSettings ruler = ruler(top);
        SourceConfig source = top.get("source") == null ? null : read(() -> source(top.get("source")), null);
        JobSettings job = top.get("job") == null ? JobSettings.defaults() : read(() -> job(top.get("job")), null);
        if (!errors.isEmpty()) throw new ConfigException(errors);
        return new RulerConfig(file, ruler, source, job, warnings);
    }

    private RulerSettings ruler(YamlMapping top) {
        YamlNode node = top.get("ruler");
        if (node == null) {
            error(top.node(), "missing required block ruler (with ruler.storage)");
            return null;
        }
        YamlMapping r = read(node::asMapping, null);
        if (r == null) return null;
        for (YamlMapping.Entry e : r.entries()) {
            if (RULER_ALERTING_FIELDS.contains(e.key())) {
                warn(e.keyNode(), "ruler." + e.key() + " is not used: flink-ruler evaluates recording rules only and sends no alerts");
            }
        }
        errors(r.checkKeys(RULER_FIELDS, RULER_ALERTING_FIELDS, "ruler"));

        if (r.has("rule_path")) {
            warn(r.keyNode("rule_path"), "ruler.rule_path is not used: rules are read from ruler.storage directly");
        }
        if (read(() -> r.bool("enable_api", false), false)) {
            warn(r.keyNode("enable_api"), "ruler.enable_api is not supported yet: flink-ruler has no ruler API, rules are managed in ruler.storage");
        }
        if (read(() -> r.bool("enable_sharding", false), false)) {
            warn(r.keyNode("enable_sharding"), "ruler.enable_sharding is not used: Flink parallelism replaces it");
        }
        if (r.has("ring")) warn(r.keyNode("ring"), "ruler.ring is not used: Flink distributes the work");

        String externalUrl = read(() -> r.string("external_url", ""), "");
        long evaluationInterval = positiveDuration(r, "evaluation_interval", RulerSettings.DEFAULT_EVALUATION_INTERVAL_MS);
        long queryOffset = read(() -> r.durationMillis("query_offset", RulerSettings.DEFAULT_QUERY_OFFSET_MS), 0L);
        long pollInterval = positiveDuration(r, "poll_interval", RulerSettings.DEFAULT_POLL_INTERVAL_MS);
        RuleStorageConfig storage = null;
        if (r.get("storage") == null) {
            error(r.node(), "missing required block ruler.storage");
        } else {
            storage = read(() -> storage(r.get("storage")), null);
        }
        RemoteWriteConfig tenantRemoteWrite = r.get("tenant_remote_write") == null ? null
                : read(() -> remoteWrite(r.get("tenant_remote_write")), null);
        RulerRemoteWriteSettings remoteWrite = read(() -> rulerRemoteWrite(r.get("remote_write")), null);
        return new RulerSettings(externalUrl, evaluationInterval, queryOffset, pollInterval, storage, tenantRemoteWrite, remoteWrite);
    }

    private RemoteWriteConfig remoteWrite(YamlNode node) {
        List<YamlException> rwWarnings = new ArrayList<>();
        RemoteWriteConfig config = RemoteWriteConfigParser.parse(node, rwWarnings);
        for (YamlException w : rwWarnings) warnings.add(w.getMessage());
        return config;
    }

    private RuleStorageConfig storage(YamlNode node) {
        YamlMapping s = node.asMapping();
        errors(s.checkKeys(STORAGE_FIELDS, "ruler.storage"));
        YamlNode typeNode = s.require("type");
        String typeName = typeNode.asString();
        StorageType type;
        if (typeName.equals("configdb")) {
            throw typeNode.error("ruler.storage.type configdb is not supported: use local, s3, gcs, azure or swift");
        }
        type = enumValue(typeNode, StorageType.class, "ruler.storage.type");

        String localDirectory = null;
        YamlNode local = s.get("local");
        if (local != null) {
            YamlMapping l = local.asMapping();
            errors(l.checkKeys(Set.of("directory"), "ruler.storage.local"));
            YamlNode dir = l.require("directory");
            if (dir.asString().isBlank()) throw dir.error("ruler.storage.local.directory must not be empty");
            localDirectory = resolve(dir.asString());
        }
        S3StorageConfig s3 = s.get("s3") == null ? null : read(() -> s3(s.get("s3")), null);
        GcsStorageConfig gcs = s.get("gcs") == null ? null : read(() -> gcs(s.get("gcs")), null);
        AzureStorageConfig azure = s.get("azure") == null ? null : read(() -> azure(s.get("azure")), null);
        SwiftStorageConfig swift = s.get("swift") == null ? null : read(() -> swift(s.get("swift")), null);

        boolean configured = switch (type) {
            case LOCAL -> localDirectory != null;
            case S3 -> s3 != null;
            case GCS -> gcs != null;
            case AZURE -> azure != null;
            case SWIFT -> swift != null;
        };
        if (!configured && !s.has(type.yamlName())) {
            error(typeNode, "ruler.storage.type is " + type.yamlName() + " but ruler.storage." + type.yamlName()
                    + (type == StorageType.LOCAL ? ".directory" : "") + " is not set");
        }
        if (s3 != null && type == StorageType.S3 && s3.bucketNames().size() > 1) {
            warn(s.keyNode("s3"), "ruler.storage.s3 lists " + s3.bucketNames().size() + " buckets: rules are read from the first, "
                    + s3.bucketNames().get(0));
        }
        StorageFormat format = StorageFormat.RULE_FILES;
        YamlNode formatNode = s.get("format");
        if (formatNode != null) {
            format = StorageFormat.fromYaml(formatNode.asString());
            if (format == null) throw formatNode.error("ruler.storage.format must be rule_files or mimir, got \"" + formatNode.asString() + "\"");
        }
        Map<String, String> flinkConfig = s.get("flink_config") == null ? Map.of() : s.get("flink_config").asStringMap();
        String prefix = read(() -> s.string("prefix", ""), "");
        if (prefix.startsWith("/") || prefix.contains("..")) {
            error(s.keyNode("prefix"), "ruler.storage.prefix must be a relative path without '..'");
        }
        return new RuleStorageConfig(type, localDirectory, prefix, s3, gcs, azure, swift, format, flinkConfig);
    }

    private S3StorageConfig s3(YamlNode node) {
        YamlMapping m = backendBlock(node, "s3", S3_FIELDS, S3_UNUSED);
        String buckets = m.string("bucketnames", m.string("bucket_name", ""));
        List<String> bucketNames = Arrays.stream(buckets.split(",")).map(String::strip).filter(b -> !b.isEmpty()).toList();
        String s3Url = m.string("s3", "");
        if (bucketNames.isEmpty() && s3Url.isEmpty()) {
            throw node.error("ruler.storage.s3 needs bucketnames (or bucket_name)");
        }
        return new S3StorageConfig(m.string("endpoint", ""), m.string("region", ""), bucketNames,
                m.string("access_key_id", ""), m.string("secret_access_key", ""), m.bool("insecure", false),
                m.bool("s3forcepathstyle", false), s3Url, m.string("signature_version", ""));
    }

    private GcsStorageConfig gcs(YamlNode node) {
        YamlMapping m = backendBlock(node, "gcs", GCS_FIELDS, GCS_UNUSED);
        return new GcsStorageConfig(m.require("bucket_name").asString(), m.string("service_account", ""));
    }

    private AzureStorageConfig azure(YamlNode node) {
        YamlMapping m = backendBlock(node, "azure", AZURE_FIELDS, AZURE_UNUSED);
        return new AzureStorageConfig(m.string("environment", ""), m.string("account_name", ""),
                m.string("account_key", ""), m.require("container_name").asString(), m.string("endpoint_suffix", ""));
    }

    private SwiftStorageConfig swift(YamlNode node) {
        YamlMapping m = backendBlock(node, "swift", SWIFT_FIELDS, SWIFT_UNUSED);
        return new SwiftStorageConfig(m.integer("auth_version", 0), m.string("auth_url", ""), m.string("username", ""),
                m.string("user_domain_name", ""), m.string("user_domain_id", ""), m.string("user_id", ""),
                m.string("password", ""), m.string("domain_id", ""), m.string("domain_name", ""),
                m.string("project_id", ""), m.string("project_name", ""), m.string("project_domain_id", ""),
                m.string("project_domain_name", ""), m.string("region_name", ""), m.require("container_name").asString());
    }

    /** A storage backend's mapping: known fields read, tuning fields of Cortex/Mimir accepted with a warning. */
    private YamlMapping backendBlock(YamlNode node, String backend, Set<String> fields, Set<String> unused) {
        YamlMapping m = node.asMapping();
        for (YamlMapping.Entry e : m.entries()) {
            if (unused.contains(e.key())) {
                warn(e.keyNode(), "ruler.storage." + backend + "." + e.key() + " is not used");
            }
        }
        errors(m.checkKeys(fields, unused, "ruler.storage." + backend));
        return m;
    }

    private RulerRemoteWriteSettings rulerRemoteWrite(YamlNode node) {
        if (node == null) return new RulerRemoteWriteSettings(true, "", 0, 0, 0);
        YamlMapping m = node.asMapping();
        errors(m.checkKeys(RULER_REMOTE_WRITE_FIELDS, "ruler.remote_write"));
        for (String walSetting : List.of("wal_dir")) {
            if (m.has(walSetting)) {
                warn(m.keyNode(walSetting), "ruler.remote_write." + walSetting + " is not used: Flink checkpoints are the write-ahead log");
            }
        }
        String walDir = m.get("wal_dir") == null ? "" : resolve(m.get("wal_dir").asString());
        return new RulerRemoteWriteSettings(m.bool("enabled", true), walDir, m.durationMillis("min_wal_time", 0),
                m.durationMillis("max_wal_time", 0), m.durationMillis("wal_truncate_frequency", 0));
    }

    private SourceConfig source(YamlNode node) {
        YamlMapping s = node.asMapping();
        errors(s.checkKeys(SOURCE_FIELDS, "source"));
        YamlNode typeNode = s.require("type");
        SourceType type = enumValue(typeNode, SourceType.class, "source.type");
        OpenMetricsSourceConfig openmetrics = s.get("openmetrics") == null ? null : read(() -> openmetrics(s.get("openmetrics")), null);
        GeneratorSourceConfig generator = s.get("generator") == null ? null : read(() -> generator(s.get("generator")), null);
        if (type == SourceType.OPENMETRICS && s.get("openmetrics") == null) {
            error(typeNode, "source.type is openmetrics but source.openmetrics (with path) is not set");
        }
        if (type == SourceType.GENERATOR && generator == null && s.get("generator") == null) {
            generator = defaultGenerator(); // a generator needs no settings
        }
        KafkaSourceConfig kafka = s.get("kafka") == null ? null : read(() -> kafka(s.get("kafka")), null);
        if (type == SourceType.KAFKA && s.get("kafka") == null) {
            error(typeNode, "source.type is kafka but source.kafka (with bootstrap_servers and topics) is not set");
        }
        return new SourceConfig(type, openmetrics, generator, kafka);
    }

    private OpenMetricsSourceConfig openmetrics(YamlNode node) {
        YamlMapping m = node.asMapping();
        errors(m.checkKeys(OPENMETRICS_FIELDS, "source.openmetrics"));
        YamlNode path = m.require("path");
        if (path.asString().isBlank()) throw path.error("source.openmetrics.path must not be empty");
        long monitor = m.durationMillis("monitor_interval", OpenMetricsSourceConfig.DEFAULT_MONITOR_INTERVAL_MS);
        return new OpenMetricsSourceConfig(resolveLocation(path.asString()), tenant(m, "source.openmetrics"), monitor);
    }

    private KafkaSourceConfig kafka(YamlNode node) {
        YamlMapping m = node.asMapping();
        errors(m.checkKeys(KAFKA_FIELDS, "source.kafka"));
        String servers = String.join(",", stringOrList(m.require("bootstrap_servers"), "source.kafka.bootstrap_servers"));
        List<String> topics = m.get("topics") == null ? List.of() : stringOrList(m.get("topics"), "source.kafka.topics");
        String pattern = m.string("topic_pattern", "");
        if (topics.isEmpty() == pattern.isEmpty()) {
            throw node.error("source.kafka needs either topics or topic_pattern");
        }
        if (!pattern.isEmpty()) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw m.get("topic_pattern").error("source.kafka.topic_pattern is not a regular expression: " + e.getDescription());
            }
        }
        String groupId = m.string("group_id", KafkaSourceConfig.DEFAULT_GROUP_ID);
        if (groupId.isBlank()) throw m.get("group_id").error("source.kafka.group_id must not be empty");
        Map<String, String> properties = m.get("properties") == null ? Map.of() : m.get("properties").asStringMap();
        YamlMapping propertyNodes = m.get("properties") == null ? null : m.get("properties").asMapping();
        for (Map.Entry<String, String> own : KAFKA_OWN_PROPERTIES.entrySet()) {
            if (properties.containsKey(own.getKey())) {
                warn(propertyNodes.keyNode(own.getKey()), "source.kafka.properties." + own.getKey() + " is overridden by source.kafka."
                        + own.getValue());
            }
        }
        KafkaRecordFormat format = m.get("format") == null ? KafkaRecordFormat.REMOTE_WRITE
                : enumValue(m.get("format"), KafkaRecordFormat.class, "source.kafka.format");
        String tenantHeader = m.string("tenant_header", KafkaSourceConfig.DEFAULT_TENANT_HEADER);
        if (tenantHeader.isBlank()) throw m.get("tenant_header").error("source.kafka.tenant_header must not be empty");
        String defaultTenant = m.string("default_tenant", DEFAULT_TENANT);
        if (defaultTenant.isEmpty() || defaultTenant.contains("/") || defaultTenant.equals(".") || defaultTenant.equals("..")) {
            throw m.get("default_tenant").error("source.kafka.default_tenant must be a non-empty name without '/'");
        }
        long idleTimeout = m.durationMillis("idle_timeout", KafkaSourceConfig.DEFAULT_IDLE_TIMEOUT_MS);
        if (idleTimeout < 0) throw m.get("idle_timeout").error("source.kafka.idle_timeout must not be negative");
        return new KafkaSourceConfig(servers, topics, pattern, groupId, startingOffsets(m.get("starting_offsets")), properties, format,
                tenantHeader, defaultTenant, idleTimeout, m.bool("bounded", false));
    }

    /** A comma-separated string or a list of strings; never empty. */
    private static List<String> stringOrList(YamlNode node, String what) {
        List<String> items = new ArrayList<>();
        if (node.isSequence()) {
            for (YamlNode item : node.asList()) items.add(item.asString().strip());
        } else {
            for (String item : node.asString().split(",")) items.add(item.strip());
        }
        items.removeIf(String::isEmpty);
        if (items.isEmpty()) throw node.error(what + " must not be empty");
        return items;
    }

    /** earliest, latest, committed (the default), or {@code timestamp: <RFC 3339 | Unix ms>} as a string or a mapping. */
    private static StartingOffsets startingOffsets(YamlNode node) {
        if (node == null) return StartingOffsets.committed();
        String what = "source.kafka.starting_offsets";
        if (node.isMapping()) {
            YamlMapping m = node.asMapping();
            m.requireKnownKeys(Set.of("timestamp"), what);
            return StartingOffsets.timestamp(timestampMillis(m.require("timestamp"), m.require("timestamp").asString(), what + ".timestamp"));
        }
        String text = node.asString().strip();
        switch (text) {
            case "earliest": return StartingOffsets.earliest();
            case "latest": return StartingOffsets.latest();
            case "committed": return StartingOffsets.committed();
            default: break;
        }
        if (text.startsWith("timestamp:")) return StartingOffsets.timestamp(timestampMillis(node, text.substring("timestamp:".length()).strip(), what));
        throw node.error(what + " must be earliest, latest, committed or timestamp: <RFC 3339 time or Unix milliseconds>, got \"" + text + "\"");
    }

    private static long timestampMillis(YamlNode node, String text, String what) {
        if (text.matches("[0-9]+")) return Long.parseLong(text);
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw node.error(what + " must be an RFC 3339 time (2024-01-01T00:00:00Z) or Unix milliseconds, got \"" + text + "\"");
        }
    }

    private static GeneratorSourceConfig defaultGenerator() {
        return new GeneratorSourceConfig(DEFAULT_TENANT, GeneratorSourceConfig.DEFAULT_TARGETS,
                GeneratorSourceConfig.DEFAULT_INTERVAL_MS, false, 0, 0, 1);
    }

    private GeneratorSourceConfig generator(YamlNode node) {
        YamlMapping m = node.asMapping();
        errors(m.checkKeys(GENERATOR_FIELDS, "source.generator"));
        int targets = m.integer("targets", GeneratorSourceConfig.DEFAULT_TARGETS);
        if (targets < 1) throw m.get("targets").error("source.generator.targets must be at least 1");
        long interval = positiveDuration(m, "interval", GeneratorSourceConfig.DEFAULT_INTERVAL_MS);
        String mode = m.get("mode") == null ? "live" : m.get("mode").asString();
        if (!mode.equals("live") && !mode.equals("fast")) {
            throw m.get("mode").error("source.generator.mode must be live or fast, got \"" + mode + "\"");
        }
        return new GeneratorSourceConfig(tenant(m, "source.generator"), targets, interval, mode.equals("fast"),
                start(m.get("start")), m.durationMillis("duration", 0), m.longValue("seed", 1));
    }

    /** {@code now} (0: the wall clock at job start), an RFC 3339 time, or Unix milliseconds. */
    private static long start(YamlNode node) {
        if (node == null) return 0;
        String text = node.asString();
        if (text.equals("now")) return 0;
        if (text.matches("[0-9]+")) return Long.parseLong(text);
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw node.error("source.generator.start must be now, an RFC 3339 time (2024-01-01T00:00:00Z) or Unix milliseconds, got \"" + text + "\"");
        }
    }

    private String tenant(YamlMapping m, String block) {
        String tenant = m.string("tenant", DEFAULT_TENANT);
        if (tenant.isEmpty() || tenant.contains("/") || tenant.equals(".") || tenant.equals("..")) {
            throw m.get("tenant").error(block + ".tenant must be a non-empty name without '/'");
        }
        return tenant;
    }

    private JobSettings job(YamlNode node) {
        YamlMapping m = node.asMapping();
        errors(m.checkKeys(JOB_FIELDS, "job"));
        int parallelism = read(() -> m.integer("parallelism", JobSettings.DEFAULT_PARALLELISM), 1);
        if (parallelism < 1) error(m.get("parallelism"), "job.parallelism must be at least 1");
        int shards = read(() -> m.integer("shards", JobSettings.DEFAULT_SHARDS), JobSettings.DEFAULT_SHARDS);
        if (shards < 1 || shards > MAX_SHARDS) error(m.get("shards"), "job.shards must be between 1 and " + MAX_SHARDS);
        else if (shards < parallelism) warn(m.get("shards"), "job.shards (" + shards + ") is below job.parallelism ("
                + parallelism + "): only " + shards + " subtasks get work");
        long checkpoint = read(() -> m.durationMillis("checkpoint_interval", JobSettings.DEFAULT_CHECKPOINT_INTERVAL_MS), 0L);
        if (checkpoint == 0 && m.get("checkpoint_interval") != null) {
            warn(m.get("checkpoint_interval"), "job.checkpoint_interval is 0: checkpointing is off, so the remote-write sink commits only at the end of a bounded input");
        }
        long outOfOrderness = read(() -> m.durationMillis("out_of_orderness", JobSettings.DEFAULT_OUT_OF_ORDERNESS_MS), 0L);
        long lookback = positiveDuration(m, "lookback_delta", JobSettings.DEFAULT_LOOKBACK_DELTA_MS);
        String stateBackend = read(() -> m.string("state_backend", ""), "");
        if (!stateBackend.isEmpty() && !JobSettings.STATE_BACKENDS.contains(stateBackend)) {
            error(m.get("state_backend"), "job.state_backend must be one of " + String.join(", ", JobSettings.STATE_BACKENDS)
                    + ", got \"" + stateBackend + "\"");
        }
        String checkpointDir = m.get("checkpoint_dir") == null ? "" : resolveLocation(m.get("checkpoint_dir").asString());
        return new JobSettings(parallelism, shards, checkpoint, outOfOrderness, lookback, stateBackend, checkpointDir);
    }

    private long positiveDuration(YamlMapping m, String key, long defaultMs) {
        long value = read(() -> m.durationMillis(key, defaultMs), defaultMs);
        if (value <= 0) error(m.get(key), m.node().path() + "." + key + " must be greater than 0");
        return value;
    }

    private <E extends Enum<E>> E enumValue(YamlNode node, Class<E> type, String what) {
        String text = node.asString();
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(text)) return e;
        }
        List<String> names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        throw node.error(what + " must be one of " + String.join(", ", names) + ", got \"" + text + "\"");
    }

    private String resolve(String path) {
        return baseDir.resolve(path).normalize().toString();
    }

    /** A Flink file system URI ({@code s3://bucket/x}, {@code file:///x}) as written; a plain path resolved like {@link #resolve}. */
    private String resolveLocation(String location) {
        return location.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*") ? location : resolve(location);
    }

    /** Runs a read; a YamlException becomes an error and {@code fallback} is returned so parsing goes on. */
    private <T> T read(Supplier<T> reader, T fallback) {
        try {
            return reader.get();
        } catch (YamlException e) {
            errors.add(e.getMessage());
            return fallback;
        }
    }

    private void errors(List<YamlException> found) {
        for (YamlException e : found) errors.add(e.getMessage());
    }

    private void error(YamlNode at, String message) {
        errors.add(file + ":" + at.line() + ":" + at.column() + ": " + message);
    }

    private void warn(YamlNode at, String message) {
        warnings.add(file + ":" + at.line() + ":" + at.column() + ": " + message);
    }
}
