package io.flinkruler.rules;

import io.flinkruler.rules.RemoteWriteConfig.Authorization;
import io.flinkruler.rules.RemoteWriteConfig.BasicAuth;
import io.flinkruler.rules.RemoteWriteConfig.ProtobufMessage;
import io.flinkruler.rules.RemoteWriteConfig.QueueConfig;
import io.flinkruler.rules.RemoteWriteConfig.RelabelAction;
import io.flinkruler.rules.RemoteWriteConfig.RelabelConfig;
import io.flinkruler.rules.RemoteWriteConfig.TlsConfig;
import io.flinkruler.yaml.YamlException;
import io.flinkruler.yaml.YamlMapping;
import io.flinkruler.yaml.YamlNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads one Prometheus {@code remote_write} entry (a rule group's GEM {@code remote_write} item, or the job
 * config's {@code tenant_remote_write}) with Prometheus's field names, defaults and validation rules. Settings
 * that only tune Prometheus's own sharded queue are accepted with a warning; settings that would change what
 * is sent or how it is authenticated and that flink-ruler cannot honour (oauth2, sigv4, ...) are errors rather
 * than silently ignored. Every error is located at the offending key or value.
 *
 * <p>Relative file paths ({@code password_file}, {@code ca_file}, ...) are resolved against the directory of
 * the YAML file when that file is given by an absolute path, as Prometheus resolves them against its config
 * file; otherwise they are kept as written (relative to the working directory).
 */
public final class RemoteWriteConfigParser {
    private static final Set<String> SUPPORTED = Set.of("url", "name", "remote_timeout", "headers", "basic_auth",
            "authorization", "bearer_token", "bearer_token_file", "tls_config", "proxy_url", "follow_redirects",
            "write_relabel_configs", "queue_config", "protobuf_message", "send_exemplars");
    /** Accepted because a copied Prometheus config has them; they change nothing flink-ruler sends. */
    private static final Set<String> ACCEPTED = Set.of("metadata_config", "send_native_histograms", "enable_http2", "round_robin_dns");
    private static final Set<String> UNSUPPORTED = Set.of("oauth2", "sigv4", "azuread", "google_iam", "no_proxy",
            "proxy_from_environment", "proxy_connect_header", "http_headers");
    private static final Set<String> KNOWN = union(SUPPORTED, ACCEPTED, UNSUPPORTED);
    /** Headers the remote-write protocol or the auth settings set themselves (Prometheus rejects them too). */
    private static final Set<String> RESERVED_HEADERS = Set.of("authorization", "host", "content-encoding",
            "content-length", "content-type", "user-agent", "connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "www-authenticate", "retry-after", "x-prometheus-remote-write-version");
    private static final Set<String> QUEUE_FIELDS = Set.of("capacity", "max_samples_per_send", "batch_send_deadline",
            "min_backoff", "max_backoff", "retry_on_http_429", "sample_age_limit");
    private static final Set<String> QUEUE_FIELDS_NOT_USED = Set.of("max_shards", "min_shards", "max_retries");
    private static final Set<String> TLS_FIELDS = Set.of("ca_file", "ca", "cert_file", "cert", "key_file", "key",
            "server_name", "insecure_skip_verify", "min_version", "max_version");
    private static final Set<String> TLS_VERSIONS = Set.of("TLS10", "TLS11", "TLS12", "TLS13");
    private static final Set<String> RELABEL_FIELDS = Set.of("source_labels", "separator", "regex", "modulus",
            "target_label", "replacement", "action");
    /** Label names as Prometheus's legacy validation (and every remote-write receiver) accepts them. */
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** A replace target or labelmap replacement: label-name characters and {@code $1}/{@code ${name}} references. */
    private static final Pattern RELABEL_TARGET = Pattern.compile("(?:(?:[a-zA-Z_]|\\$(?:\\{\\w+\\}|\\w+))+\\w*)+");

    private RemoteWriteConfigParser() {}

    /** The entry's config; the first error is thrown, warnings are added to {@code warnings}. */
    public static RemoteWriteConfig parse(YamlNode node, List<YamlException> warnings) {
        YamlMapping m = node.asMapping();
        for (YamlMapping.Entry e : m.entries()) {
            if (UNSUPPORTED.contains(e.key())) {
                throw e.keyNode().error("remote_write field " + e.key() + " is not supported by flink-ruler");
            }
        }
        m.requireKnownKeys(KNOWN, "remote_write");
        warnAboutAccepted(m, warnings);

        YamlNode urlNode = m.require("url");
        String url = urlNode.asString().trim();
        URI uri = validateUrl(urlNode, url, "remote_write url");
        RemoteWriteConfig.Builder b = RemoteWriteConfig.builder(url);
        b.name(m.string("name", null));
        b.remoteTimeout(positiveDuration(m, "remote_timeout", RemoteWriteConfig.DEFAULT_REMOTE_TIMEOUT));
        b.headers(headers(m.get("headers")));

        BasicAuth basicAuth = basicAuth(node, m.get("basic_auth"));
        if (basicAuth != null && uri.getRawUserInfo() != null) {
            throw m.get("basic_auth").error("basic_auth and credentials in the url are both set: keep one");
        }
        Authorization authorization = authorization(node, m);
        if (basicAuth != null && authorization != null) {
            YamlNode second = m.get("authorization") != null ? m.keyNode("authorization")
                    : m.keyNode(m.has("bearer_token") ? "bearer_token" : "bearer_token_file");
            throw second.error("at most one of basic_auth, authorization, bearer_token and bearer_token_file may be set");
        }
        if (uri.getRawUserInfo() != null && authorization != null) {
            throw urlNode.error("credentials in the url and an Authorization header are both set: keep one");
        }
        b.basicAuth(basicAuth).authorization(authorization);
        if (m.get("tls_config") != null) b.tls(tls(node, m.get("tls_config")));
        YamlNode proxy = m.get("proxy_url");
        if (proxy != null) {
            String proxyUrl = proxy.asString().trim();
            validateUrl(proxy, proxyUrl, "proxy_url");
            b.proxyUrl(proxyUrl);
        }
        b.followRedirects(m.bool("follow_redirects", true));
        b.writeRelabelConfigs(relabelConfigs(m.get("write_relabel_configs")));
        if (m.has("queue_config")) b.queue(queue(m.get("queue_config"), warnings));
        YamlNode message = m.get("protobuf_message");
        if (message != null) {
            try {
                b.protobufMessage(ProtobufMessage.ofConfigName(message.asString()));
            } catch (IllegalArgumentException e) {
                throw message.error(e.getMessage());
            }
        }
        b.sendExemplars(m.bool("send_exemplars", false));
        return b.build();
    }

    private static void warnAboutAccepted(YamlMapping m, List<YamlException> warnings) {
        if (m.has("metadata_config")) {
            warnings.add(m.keyNode("metadata_config").error("remote_write field metadata_config is ignored: recording rules have no metric metadata to send"));
        }
        if (m.has("enable_http2") && m.bool("enable_http2", false)) {
            warnings.add(m.keyNode("enable_http2").error("remote_write field enable_http2 is ignored: requests use HTTP/1.1"));
        }
        // send_native_histograms and round_robin_dns: accepted silently (recording rules here produce float samples;
        // every address of a host name is tried by the HTTP client anyway).
        m.bool("send_native_histograms", false);
        m.bool("round_robin_dns", false);
    }

    private static Map<String, String> headers(YamlNode headersNode) {
        if (headersNode == null) return Map.of();
        YamlMapping h = headersNode.asMapping();
        for (YamlMapping.Entry e : h.entries()) {
            if (RESERVED_HEADERS.contains(e.key().toLowerCase(Locale.ROOT))) {
                throw e.keyNode().error("header " + e.key() + " is reserved and cannot be set in remote_write.headers");
            }
        }
        // every name is allowed: this only reports a header written twice
        h.requireKnownKeys(h.entries().stream().map(YamlMapping.Entry::key).toList(), "headers");
        return headersNode.asStringMap();
    }

    private static BasicAuth basicAuth(YamlNode entry, YamlNode node) {
        if (node == null) return null;
        YamlMapping auth = node.asMapping();
        auth.requireKnownKeys(Set.of("username", "username_file", "password", "password_file"), "basic_auth");
        atMostOne(auth, "basic_auth", "username", "username_file");
        atMostOne(auth, "basic_auth", "password", "password_file");
        if (auth.get("username") == null && auth.get("username_file") == null) {
            throw node.error("basic_auth needs username or username_file");
        }
        return new BasicAuth(auth.string("username", null), file(entry, auth, "username_file"),
                auth.get("password_file") == null ? auth.string("password", "") : null, file(entry, auth, "password_file"));
    }

    private static Authorization authorization(YamlNode entry, YamlMapping m) {
        atMostOne(m, "remote_write", "bearer_token", "bearer_token_file");
        YamlNode node = m.get("authorization");
        if (node == null) {
            if (m.get("bearer_token") != null) return new Authorization("Bearer", m.string("bearer_token", ""), null);
            if (m.get("bearer_token_file") != null) return new Authorization("Bearer", null, file(entry, m, "bearer_token_file"));
            return null;
        }
        if (m.get("bearer_token") != null || m.get("bearer_token_file") != null) {
            throw m.keyNode(m.get("bearer_token") != null ? "bearer_token" : "bearer_token_file")
                    .error("authorization is not compatible with bearer_token and bearer_token_file");
        }
        YamlMapping a = node.asMapping();
        a.requireKnownKeys(Set.of("type", "credentials", "credentials_file"), "authorization");
        atMostOne(a, "authorization", "credentials", "credentials_file");
        String type = a.string("type", "Bearer").trim();
        if (type.isEmpty()) type = "Bearer";
        if (type.equalsIgnoreCase("basic")) {
            throw a.get("type").error("authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
        }
        if (!type.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) throw a.get("type").error("invalid authorization type \"" + type + "\"");
        return new Authorization(type, a.get("credentials_file") == null ? a.string("credentials", "") : null,
                file(entry, a, "credentials_file"));
    }

    private static TlsConfig tls(YamlNode entry, YamlNode node) {
        YamlMapping t = node.asMapping();
        t.requireKnownKeys(TLS_FIELDS, "tls_config");
        atMostOne(t, "tls_config", "ca", "ca_file");
        atMostOne(t, "tls_config", "cert", "cert_file");
        atMostOne(t, "tls_config", "key", "key_file");
        boolean hasCert = t.get("cert") != null || t.get("cert_file") != null;
        boolean hasKey = t.get("key") != null || t.get("key_file") != null;
        if (hasCert != hasKey) {
            throw node.error(hasCert ? "tls_config has a client certificate but neither key nor key_file"
                    : "tls_config has a client key but neither cert nor cert_file");
        }
        String min = tlsVersion(t, "min_version");
        String max = tlsVersion(t, "max_version");
        if (min != null && max != null && min.compareTo(max) > 0) {
            throw t.get("max_version").error("tls_config.max_version " + max + " is lower than min_version " + min);
        }
        return new TlsConfig(file(entry, t, "ca_file"), t.string("ca", null), file(entry, t, "cert_file"), t.string("cert", null),
                file(entry, t, "key_file"), t.string("key", null), t.string("server_name", null),
                t.bool("insecure_skip_verify", false), min, max);
    }

    private static String tlsVersion(YamlMapping t, String key) {
        YamlNode v = t.get(key);
        if (v == null) return null;
        String version = v.asString();
        if (!TLS_VERSIONS.contains(version)) {
            throw v.error("unknown TLS version " + version + " in tls_config." + key + "; expected one of TLS10, TLS11, TLS12, TLS13");
        }
        return version;
    }

    private static QueueConfig queue(YamlNode node, List<YamlException> warnings) {
        YamlMapping q = node.asMapping();
        q.requireKnownKeys(union(QUEUE_FIELDS, QUEUE_FIELDS_NOT_USED), "queue_config");
        for (YamlMapping.Entry e : q.entries()) {
            if (QUEUE_FIELDS_NOT_USED.contains(e.key())) {
                warnings.add(e.keyNode().error("queue_config." + e.key()
                        + " is ignored: each endpoint is served by one in-order sender per sink subtask"));
            }
        }
        Integer capacity = positiveInt(q, "capacity");
        Integer maxSamples = positiveInt(q, "max_samples_per_send");
        Duration deadline = q.get("batch_send_deadline") == null ? null : positiveDuration(q, "batch_send_deadline", null);
        Duration minBackoff = q.get("min_backoff") == null ? null : Duration.ofMillis(q.durationMillis("min_backoff", 0));
        Duration maxBackoff = q.get("max_backoff") == null ? null : Duration.ofMillis(q.durationMillis("max_backoff", 0));
        if (minBackoff != null && maxBackoff != null && maxBackoff.compareTo(minBackoff) < 0) {
            throw q.get("max_backoff").error("queue_config.max_backoff must not be less than min_backoff");
        }
        Duration ageLimit = Duration.ofMillis(q.durationMillis("sample_age_limit", 0));
        return new QueueConfig(capacity, maxSamples, deadline, minBackoff, maxBackoff, q.bool("retry_on_http_429", true), ageLimit);
    }

    private static List<RelabelConfig> relabelConfigs(YamlNode node) {
        if (node == null) return List.of();
        List<RelabelConfig> configs = new ArrayList<>();
        for (YamlNode item : node.asList()) configs.add(relabelConfig(item));
        return configs;
    }

    /** One relabel rule, validated as Prometheus's {@code relabel.Config.Validate}. */
    static RelabelConfig relabelConfig(YamlNode node) {
        YamlMapping r = node.asMapping();
        r.requireKnownKeys(RELABEL_FIELDS, "write_relabel_configs entry");
        List<String> sourceLabels = new ArrayList<>();
        YamlNode sources = r.get("source_labels");
        if (sources != null) {
            for (YamlNode s : sources.asList()) {
                String label = s.asString();
                if (!LABEL_NAME.matcher(label).matches()) throw s.error("\"" + label + "\" is not a valid label name");
                sourceLabels.add(label);
            }
        }
        String separator = r.has("separator") ? r.string("separator", "") : RelabelConfig.DEFAULT_SEPARATOR;
        String regex = r.has("regex") ? r.string("regex", "") : RelabelConfig.DEFAULT_REGEX;
        long modulus = r.longValue("modulus", 0);
        if (modulus < 0) throw r.get("modulus").error("modulus must not be negative");
        String target = r.string("target_label", "");
        String replacement = r.has("replacement") ? r.string("replacement", "") : RelabelConfig.DEFAULT_REPLACEMENT;
        RelabelAction action = RelabelAction.REPLACE;
        YamlNode actionNode = r.get("action");
        if (actionNode != null) {
            try {
                action = RelabelAction.valueOf(actionNode.asString().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw actionNode.error("unknown relabel action \"" + actionNode.asString() + "\"");
            }
        }
        RelabelConfig config = new RelabelConfig(sourceLabels, separator, regex, modulus, target, replacement, action);
        try {
            config.pattern();
        } catch (PatternSyntaxException e) {
            throw (r.get("regex") != null ? r.get("regex") : node).error("invalid regex \"" + regex + "\": " + e.getDescription());
        }
        String problem = validate(config, sources != null);
        if (problem != null) throw (actionNode != null ? actionNode : node).error(problem);
        return config;
    }

    private static String validate(RelabelConfig c, boolean sourceLabelsWritten) {
        RelabelAction a = c.action();
        String name = a.configName();
        boolean needsTarget = switch (a) {
            case REPLACE, HASHMOD, LOWERCASE, UPPERCASE, KEEPEQUAL, DROPEQUAL -> true;
            default -> false;
        };
        if (a == RelabelAction.HASHMOD && c.modulus() == 0) return "relabel configuration for hashmod requires non-zero modulus";
        if (needsTarget && c.targetLabel().isEmpty()) return "relabel configuration for " + name + " action requires 'target_label' value";
        if (a == RelabelAction.REPLACE && !(c.targetLabel().contains("$") ? RELABEL_TARGET : LABEL_NAME).matcher(c.targetLabel()).matches()) {
            return "\"" + c.targetLabel() + "\" is invalid 'target_label' for " + name + " action";
        }
        boolean needsPlainTarget = switch (a) {
            case LOWERCASE, UPPERCASE, KEEPEQUAL, DROPEQUAL, HASHMOD -> true;
            default -> false;
        };
        if (needsPlainTarget && !LABEL_NAME.matcher(c.targetLabel()).matches()) {
            return "\"" + c.targetLabel() + "\" is invalid 'target_label' for " + name + " action";
        }
        boolean noReplacement = a == RelabelAction.LOWERCASE || a == RelabelAction.UPPERCASE
                || a == RelabelAction.KEEPEQUAL || a == RelabelAction.DROPEQUAL;
        if (noReplacement && !c.replacement().equals(RelabelConfig.DEFAULT_REPLACEMENT)) {
            return "'replacement' can not be set for " + name + " action";
        }
        if (a == RelabelAction.LABELMAP && !RELABEL_TARGET.matcher(c.replacement()).matches()) {
            return "\"" + c.replacement() + "\" is invalid 'replacement' for " + name + " action";
        }
        if ((a == RelabelAction.KEEPEQUAL || a == RelabelAction.DROPEQUAL) && (!c.hasDefaultRegex() || c.modulus() != 0
                || !c.separator().equals(RelabelConfig.DEFAULT_SEPARATOR))) {
            return name + " action requires only 'source_labels' and `target_label`, and no other fields";
        }
        if ((a == RelabelAction.LABELDROP || a == RelabelAction.LABELKEEP) && (sourceLabelsWritten || !c.targetLabel().isEmpty()
                || c.modulus() != 0 || !c.separator().equals(RelabelConfig.DEFAULT_SEPARATOR)
                || !c.replacement().equals(RelabelConfig.DEFAULT_REPLACEMENT))) {
            return name + " action requires only 'regex', and no other fields";
        }
        return null;
    }

    private static void atMostOne(YamlMapping m, String what, String first, String second) {
        if (m.get(first) != null && m.get(second) != null) {
            throw m.keyNode(second).error("at most one of " + what + "." + first + " and " + what + "." + second + " may be set");
        }
    }

    private static String file(YamlNode entry, YamlMapping m, String key) {
        YamlNode v = m.get(key);
        if (v == null) return null;
        String path = v.asString().trim();
        if (path.isEmpty()) throw v.error(key + " must not be empty");
        Path p = Path.of(path);
        if (p.isAbsolute()) return path;
        Path configFile = Path.of(entry.file());
        return configFile.isAbsolute() && configFile.getParent() != null ? configFile.getParent().resolve(p).toString() : path;
    }

    private static Integer positiveInt(YamlMapping m, String key) {
        if (m.get(key) == null) return null;
        int v = m.integer(key, 0);
        if (v <= 0) throw m.get(key).error("queue_config." + key + " must be greater than 0");
        return v;
    }

    private static Duration positiveDuration(YamlMapping m, String key, Duration defaultValue) {
        if (m.get(key) == null) return defaultValue;
        long ms = m.durationMillis(key, 0);
        if (ms <= 0) throw m.get(key).error(key + " must be greater than 0");
        return Duration.ofMillis(ms);
    }

    private static URI validateUrl(YamlNode node, String url, String what) {
        if (url.isEmpty()) throw node.error(what + " must not be empty");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw node.error("invalid " + what + " " + withoutCredentials(url) + ": " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw node.error(what + " must start with http:// or https://, got " + withoutCredentials(url));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw node.error(what + " has no host: " + withoutCredentials(url));
        }
        return uri;
    }

    /** The URL as messages may show it: user info replaced, since it may hold a password. */
    static String withoutCredentials(String url) {
        return url.replaceFirst("//[^/@]*@", "//<credentials>@");
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        HashSet<String> all = new HashSet<>();
        for (Set<String> s : sets) all.addAll(s);
        return Set.copyOf(all);
    }
}
