package io.flinkruler.rules;

import io.flinkruler.yaml.YamlException;
import io.flinkruler.yaml.YamlMapping;
import io.flinkruler.yaml.YamlNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one Prometheus {@code remote_write} entry (a rule group's GEM {@code remote_write} item, or the
 * job config's {@code tenant_remote_write}). Settings that only tune Prometheus's own queue are accepted
 * with a warning; settings that would change what is sent or how it is authenticated, and that
 * flink-ruler cannot honour, are errors rather than silently ignored.
 */
public final class RemoteWriteConfigParser {
    private static final Set<String> SUPPORTED = Set.of("url", "name", "headers", "basic_auth", "remote_timeout");
    private static final Set<String> IGNORED = Set.of("queue_config", "metadata_config", "send_exemplars",
            "send_native_histograms", "follow_redirects", "enable_http2", "round_robin_dns");
    private static final Set<String> UNSUPPORTED = Set.of("write_relabel_configs", "authorization", "oauth2", "sigv4",
            "azuread", "google_iam", "tls_config", "proxy_url", "no_proxy", "proxy_from_environment",
            "proxy_connect_header", "bearer_token", "bearer_token_file", "protobuf_message", "http_headers");
    private static final Set<String> KNOWN = union(SUPPORTED, IGNORED, UNSUPPORTED);
    /** Headers the remote-write protocol or basic_auth sets itself (Prometheus rejects them too). */
    private static final Set<String> RESERVED_HEADERS = Set.of("authorization", "host", "content-encoding",
            "content-length", "content-type", "user-agent", "connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "www-authenticate", "retry-after", "x-prometheus-remote-write-version");

    private RemoteWriteConfigParser() {}

    /** The entry's config; the first error is thrown, warnings are added to {@code warnings}. */
    public static RemoteWriteConfig parse(YamlNode node, List<YamlException> warnings) {
        YamlMapping m = node.asMapping();
        for (YamlMapping.Entry e : m.entries()) {
            if (UNSUPPORTED.contains(e.key()) && !(e.key().equals("protobuf_message") && isV1(e.value()))) {
                throw e.keyNode().error("remote_write field " + e.key() + " is not supported by flink-ruler");
            }
            if (IGNORED.contains(e.key())) {
                warnings.add(e.keyNode().error("remote_write field " + e.key()
                        + " is ignored: the remote-write sink batches and retries on its own"));
            }
        }
        m.requireKnownKeys(KNOWN, "remote_write");
        YamlNode urlNode = m.require("url");
        String url = urlNode.asString().trim();
        URI uri = validateUrl(urlNode, url);

        String username = null;
        String password = null;
        YamlNode basicAuth = m.get("basic_auth");
        if (basicAuth != null) {
            YamlMapping auth = basicAuth.asMapping();
            if (auth.has("password_file")) {
                throw auth.keyNode("password_file").error("basic_auth.password_file is not supported: write the password (or ${VAR} in the job config)");
            }
            auth.requireKnownKeys(Set.of("username", "password"), "basic_auth");
            username = auth.require("username").asString();
            password = auth.string("password", "");
            if (uri.getRawUserInfo() != null) {
                throw basicAuth.error("basic_auth and credentials in the url are both set: keep one");
            }
        }

        Map<String, String> headers = Map.of();
        YamlNode headersNode = m.get("headers");
        if (headersNode != null) {
            YamlMapping h = headersNode.asMapping();
            for (YamlMapping.Entry e : h.entries()) {
                if (RESERVED_HEADERS.contains(e.key().toLowerCase(Locale.ROOT))) {
                    throw e.keyNode().error("header " + e.key() + " is reserved and cannot be set in remote_write.headers");
                }
            }
            // every name is allowed: this only reports a header written twice
            h.requireKnownKeys(h.entries().stream().map(YamlMapping.Entry::key).toList(), "headers");
            headers = headersNode.asStringMap();
        }

        long timeoutMs = m.durationMillis("remote_timeout", 30_000);
        if (timeoutMs <= 0) throw m.get("remote_timeout").error("remote_timeout must be greater than 0");
        return new RemoteWriteConfig(url, m.string("name", null), headers, username, password, Duration.ofMillis(timeoutMs));
    }

    private static boolean isV1(YamlNode value) {
        return value != null && value.asString().equals("prometheus.WriteRequest");
    }

    private static URI validateUrl(YamlNode node, String url) {
        if (url.isEmpty()) throw node.error("remote_write url must not be empty");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw node.error("invalid remote_write url " + withoutCredentials(url) + ": " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw node.error("remote_write url must start with http:// or https://, got " + withoutCredentials(url));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw node.error("remote_write url has no host: " + withoutCredentials(url));
        }
        return uri;
    }

    /** The URL as messages may show it: user info replaced, since it may hold a password. */
    static String withoutCredentials(String url) {
        return url.replaceFirst("//[^/@]*@", "//<credentials>@");
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        java.util.HashSet<String> all = new java.util.HashSet<>();
        for (Set<String> s : sets) all.addAll(s);
        return Set.copyOf(all);
    }
}
