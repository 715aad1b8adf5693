package io.flinkruler.rules;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One remote-write endpoint: Prometheus's {@code remote_write} entry. Credentials given as {@code user:pass@}
 * in the URL are moved to basic auth, so {@link #url()} never carries them. Secrets (passwords, credentials,
 * bearer tokens, TLS keys) are only reachable through their accessors: {@link #toString()} and
 * {@link #displayName()} never show them. Files ({@code password_file}, {@code credentials_file}, TLS files)
 * are kept as paths and read by the sender at send time, so rotated files take effect without a restart.
 *
 * <p>Instances are immutable; build them with {@link #builder(String)} or {@link #toBuilder()}.
 */
public final class RemoteWriteConfig implements Serializable {
    private static final long serialVersionUID = 2L;
    public static final Duration DEFAULT_REMOTE_TIMEOUT = Duration.ofSeconds(30);

    /** The wire message of remote-write 1.0 and 2.0, named as Prometheus's {@code protobuf_message}. */
    public enum ProtobufMessage {
        V1("prometheus.WriteRequest"), V2("io.prometheus.write.v2.Request");

        private final String configName;

        ProtobufMessage(String configName) { this.configName = configName; }

        public String configName() { return configName; }

        public static ProtobufMessage ofConfigName(String name) {
            for (ProtobufMessage m : values()) if (m.configName.equals(name)) return m;
            throw new IllegalArgumentException("unknown protobuf_message " + name + "; expected prometheus.WriteRequest or io.prometheus.write.v2.Request");
        }
    }

    /** {@code basic_auth}; the user name may also come from a file (read at send time). */
    public record BasicAuth(String username, String usernameFile, String password, String passwordFile) implements Serializable {
        @Override
        public String toString() {
            return "basic_auth{" + (usernameFile != null ? "username_file=" + usernameFile : "username=" + username)
                    + (password != null ? ", password=<secret>" : "") + (passwordFile != null ? ", password_file=" + passwordFile : "") + "}";
        }
    }

    /** {@code authorization} (and the older {@code bearer_token}/{@code bearer_token_file}): {@code Authorization: <type> <credentials>}. */
    public record Authorization(String type, String credentials, String credentialsFile) implements Serializable {
        @Override
        public String toString() {
            return "authorization{type=" + type + (credentials != null ? ", credentials=<secret>" : "")
                    + (credentialsFile != null ? ", credentials_file=" + credentialsFile : "") + "}";
        }
    }

    /**
     * {@code tls_config}. PEM material comes inline ({@code ca}, {@code cert}, {@code key}) or from files read
     * at connection time. {@code minVersion}/{@code maxVersion} are Prometheus's names (TLS10 .. TLS13), null
     * for the defaults.
     */
    public record TlsConfig(String caFile, String ca, String certFile, String cert, String keyFile, String key,
                            String serverName, boolean insecureSkipVerify, String minVersion, String maxVersion) implements Serializable {
        public static final TlsConfig DEFAULT = new TlsConfig(null, null, null, null, null, null, null, false, null, null);

        public boolean isDefault() { return equals(DEFAULT); }

        public boolean hasClientCertificate() { return certFile != null || cert != null; }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("tls_config{");
            if (caFile != null) sb.append("ca_file=").append(caFile).append(", ");
            if (ca != null) sb.append("ca=<inline>, ");
            if (certFile != null) sb.append("cert_file=").append(certFile).append(", ");
            if (cert != null) sb.append("cert=<inline>, ");
            if (keyFile != null) sb.append("key_file=").append(keyFile).append(", ");
            if (key != null) sb.append("key=<secret>, ");
            if (serverName != null) sb.append("server_name=").append(serverName).append(", ");
            if (insecureSkipVerify) sb.append("insecure_skip_verify=true, ");
            if (minVersion != null) sb.append("min_version=").append(minVersion).append(", ");
            if (maxVersion != null) sb.append("max_version=").append(maxVersion).append(", ");
            if (sb.charAt(sb.length() - 1) == ' ') sb.setLength(sb.length() - 2);
            return sb.append('}').toString();
        }
    }

    /**
     * {@code queue_config}, the fields flink-ruler uses. A null field is not written in the config: the sink's
     * default applies. {@code sampleAgeLimit} zero means no limit, as in Prometheus.
     */
    public record QueueConfig(Integer capacity, Integer maxSamplesPerSend, Duration batchSendDeadline, Duration minBackoff,
                              Duration maxBackoff, boolean retryOnHttp429, Duration sampleAgeLimit) implements Serializable {
        public static final QueueConfig DEFAULT = new QueueConfig(null, null, null, null, null, true, Duration.ZERO);
    }

    /** A relabel action of Prometheus's {@code model/relabel}. */
    public enum RelabelAction {
        REPLACE, KEEP, DROP, KEEPEQUAL, DROPEQUAL, HASHMOD, LABELMAP, LABELDROP, LABELKEEP, LOWERCASE, UPPERCASE;

        public String configName() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * One {@code write_relabel_configs} entry with Prometheus's defaults (separator {@code ;}, regex {@code (.*)},
     * replacement {@code $1}, action replace). {@code regex} is the text as written; {@link #pattern()} is it
     * anchored at both ends, as Prometheus compiles it.
     */
    public record RelabelConfig(List<String> sourceLabels, String separator, String regex, long modulus,
                                String targetLabel, String replacement, RelabelAction action) implements Serializable {
        public static final String DEFAULT_SEPARATOR = ";";
        public static final String DEFAULT_REGEX = "(.*)";
        public static final String DEFAULT_REPLACEMENT = "$1";

        public RelabelConfig {
            sourceLabels = List.copyOf(sourceLabels);
            Objects.requireNonNull(separator, "separator");
            Objects.requireNonNull(regex, "regex");
            Objects.requireNonNull(targetLabel, "targetLabel");
            Objects.requireNonNull(replacement, "replacement");
            Objects.requireNonNull(action, "action");
        }

        /**
         * The regex anchored at both ends as Prometheus compiles it ({@code ^(?:regex)$} in Go): {@code \z} and
         * UNIX_LINES give Go's meaning of {@code $} and {@code .}; Go's {@code (?P<name>} groups are accepted.
         */
        public Pattern pattern() {
            return Pattern.compile("^(?:" + regex.replace("(?P<", "(?<") + ")\\z", Pattern.UNIX_LINES);
        }

        public boolean hasDefaultRegex() { return regex.equals(DEFAULT_REGEX); }
    }

    private final String url;
    private final String name;
    private final Duration remoteTimeout;
    private final TreeMap<String, String> headers;
    private final BasicAuth basicAuth;
    private final Authorization authorization;
    private final TlsConfig tls;
    private final String proxyUrl;
    private final boolean followRedirects;
    private final List<RelabelConfig> writeRelabelConfigs;
    private final QueueConfig queue;
    private final ProtobufMessage protobufMessage;
    private final boolean sendExemplars;

    private RemoteWriteConfig(Builder b) {
        URI uri = URI.create(b.url);
        BasicAuth auth = b.basicAuth;
        String clean = b.url;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getUserInfo();
            int colon = info.indexOf(':');
            auth = new BasicAuth(colon < 0 ? info : info.substring(0, colon), null, colon < 0 ? "" : info.substring(colon + 1), null);
            clean = b.url.replace(uri.getRawUserInfo() + "@", "");
        }
        this.url = clean;
        this.name = b.name == null ? "" : b.name;
        this.remoteTimeout = b.remoteTimeout == null ? DEFAULT_REMOTE_TIMEOUT : b.remoteTimeout;
        this.headers = new TreeMap<>(b.headers == null ? Map.of() : b.headers);
        this.basicAuth = auth;
        this.authorization = b.authorization;
        this.tls = b.tls == null ? TlsConfig.DEFAULT : b.tls;
        this.proxyUrl = b.proxyUrl;
        this.followRedirects = b.followRedirects;
        this.writeRelabelConfigs = List.copyOf(b.writeRelabelConfigs);
        this.queue = b.queue == null ? QueueConfig.DEFAULT : b.queue;
        this.protobufMessage = b.protobufMessage == null ? ProtobufMessage.V1 : b.protobufMessage;
        this.sendExemplars = b.sendExemplars;
    }

    /** As {@code builder(url).name(name).headers(headers).basicAuth(user, password).remoteTimeout(timeout).build()}. */
    public RemoteWriteConfig(String url, String name, Map<String, String> headers,
                             String basicAuthUsername, String basicAuthPassword, Duration remoteTimeout) {
        this(builder(url).name(name).headers(headers)
                .basicAuth(basicAuthUsername == null ? null : new BasicAuth(basicAuthUsername, null, basicAuthPassword, null))
                .remoteTimeout(remoteTimeout));
    }

    public static RemoteWriteConfig ofUrl(String url) {
        return builder(url).build();
    }

    public static Builder builder(String url) {
        return new Builder(url);
    }

    public Builder toBuilder() {
        Builder b = new Builder(url);
        b.name = name;
        b.remoteTimeout = remoteTimeout;
        b.headers = new TreeMap<>(headers);
        b.basicAuth = basicAuth;
        b.authorization = authorization;
        b.tls = tls;
        b.proxyUrl = proxyUrl;
        b.followRedirects = followRedirects;
        b.writeRelabelConfigs = writeRelabelConfigs;
        b.queue = queue;
        b.protobufMessage = protobufMessage;
        b.sendExemplars = sendExemplars;
        return b;
    }

    /** The URL without credentials. */
    public String url() { return url; }
    public String name() { return name; }
    public Map<String, String> headers() { return headers; }
    public Duration remoteTimeout() { return remoteTimeout; }
    /** Null without basic auth. */
    public BasicAuth basicAuth() { return basicAuth; }
    public String basicAuthUsername() { return basicAuth == null ? null : basicAuth.username(); }
    public String basicAuthPassword() { return basicAuth == null ? null : basicAuth.password(); }
    /** Null without an Authorization header (bearer_token is an Authorization of type Bearer). */
    public Authorization authorization() { return authorization; }
    public TlsConfig tls() { return tls; }
    /** Null without a proxy; may carry proxy credentials, so never log it ({@link #toString()} does not). */
    public String proxyUrl() { return proxyUrl; }
    public boolean followRedirects() { return followRedirects; }
    public List<RelabelConfig> writeRelabelConfigs() { return writeRelabelConfigs; }
    public QueueConfig queue() { return queue; }
    public ProtobufMessage protobufMessage() { return protobufMessage; }
    public boolean sendExemplars() { return sendExemplars; }

    /**
     * What logs and metric labels may show: the name, else the URL without its query string (which may hold
     * an API key) and without credentials.
     */
    public String displayName() {
        if (!name.isEmpty()) return name;
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?<redacted>";
    }

    /** A copy that also sends {@code header: value} (e.g. X-Scope-OrgID for the tenant endpoint). */
    public RemoteWriteConfig withHeader(String header, String value) {
        Builder b = toBuilder();
        b.headers.put(header, value);
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RemoteWriteConfig c && url.equals(c.url) && name.equals(c.name) && headers.equals(c.headers)
                && remoteTimeout.equals(c.remoteTimeout) && Objects.equals(basicAuth, c.basicAuth)
                && Objects.equals(authorization, c.authorization) && tls.equals(c.tls) && Objects.equals(proxyUrl, c.proxyUrl)
                && followRedirects == c.followRedirects && writeRelabelConfigs.equals(c.writeRelabelConfigs)
                && queue.equals(c.queue) && protobufMessage == c.protobufMessage && sendExemplars == c.sendExemplars;
    }

    /** Leaves secrets out: equal configs still hash equal, and the hash reveals nothing about a password. */
    @Override
    public int hashCode() {
        return Objects.hash(url, name, headers, remoteTimeout, basicAuthUsername(), tls, writeRelabelConfigs, queue, protobufMessage);
    }

    /** Never shows a secret: passwords, credentials and header values are left out. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RemoteWriteConfig{url=").append(displayName().equals(name) ? url : displayName());
        if (!name.isEmpty()) sb.append(", name=").append(name);
        if (!headers.isEmpty()) sb.append(", headers=").append(headers.keySet());
        if (basicAuth != null) sb.append(", ").append(basicAuth);
        if (authorization != null) sb.append(", ").append(authorization);
        if (!tls.isDefault()) sb.append(", ").append(tls);
        if (proxyUrl != null) sb.append(", proxy_url=<set>");
        if (!followRedirects) sb.append(", follow_redirects=false");
        if (!writeRelabelConfigs.isEmpty()) sb.append(", write_relabel_configs=").append(writeRelabelConfigs.size());
        if (protobufMessage != ProtobufMessage.V1) sb.append(", protobuf_message=").append(protobufMessage.configName());
        return sb.append('}').toString();
    }

    /** Mutable form of {@link RemoteWriteConfig}. */
    public static final class Builder {
        private final String url;
        private String name;
        private Duration remoteTimeout;
        private TreeMap<String, String> headers = new TreeMap<>();
        private BasicAuth basicAuth;
        private Authorization authorization;
        private TlsConfig tls;
        private String proxyUrl;
        private boolean followRedirects = true;
        private List<RelabelConfig> writeRelabelConfigs = List.of();
        private QueueConfig queue;
        private ProtobufMessage protobufMessage;
        private boolean sendExemplars;

        private Builder(String url) {
            this.url = Objects.requireNonNull(url, "url");
        }

        public Builder name(String name) { this.name = name; return this; }
        public Builder remoteTimeout(Duration remoteTimeout) { this.remoteTimeout = remoteTimeout; return this; }
        public Builder headers(Map<String, String> headers) { this.headers = new TreeMap<>(headers == null ? Map.of() : headers); return this; }
        public Builder basicAuth(BasicAuth basicAuth) { this.basicAuth = basicAuth; return this; }
        public Builder basicAuth(String username, String password) { return basicAuth(new BasicAuth(username, null, password, null)); }
        public Builder authorization(Authorization authorization) { this.authorization = authorization; return this; }
        public Builder bearerToken(String token) { return authorization(new Authorization("Bearer", token, null)); }
        public Builder tls(TlsConfig tls) { this.tls = tls; return this; }
        public Builder proxyUrl(String proxyUrl) { this.proxyUrl = proxyUrl; return this; }
        public Builder followRedirects(boolean followRedirects) { this.followRedirects = followRedirects; return this; }
        public Builder writeRelabelConfigs(List<RelabelConfig> configs) { this.writeRelabelConfigs = List.copyOf(configs); return this; }
        public Builder queue(QueueConfig queue) { this.queue = queue; return this; }
        public Builder protobufMessage(ProtobufMessage message) { this.protobufMessage = message; return this; }
        public Builder sendExemplars(boolean sendExemplars) { this.sendExemplars = sendExemplars; return this; }

        public RemoteWriteConfig build() { return new RemoteWriteConfig(this); }
    }
}
