package io.flinkruler.swift;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Connection settings of a Swift account: where and how to authenticate, plus client behaviour.
 *
 * <p>The keys are those of the {@code swift} bucket block of Thanos objstore / Cortex / Mimir / GEM
 * ({@code auth_url}, {@code username}, {@code password}, {@code project_name}, ...), so a
 * {@code ruler.storage.swift} block maps 1:1 through {@link #fromMap(Map)}. In a Flink configuration the same
 * keys carry the prefix {@code swift.} and may be written kebab-case ({@code swift.auth-url}) or snake_case
 * ({@code swift.auth_url}).
 *
 * <p>Authentication: {@code auth_version} 1 is TempAuth/v1.0 (username {@code account:user} sent as
 * {@code X-Auth-User}, password as {@code X-Auth-Key}, {@code auth_url} the full {@code .../auth/v1.0} URL); 3 is
 * Keystone v3 ({@code auth_url} ends in {@code /v3}; password method, or application credentials when
 * {@code application_credential_secret} is set). 0 (the default) picks 3 when the URL path contains
 * {@code /v3} and 1 otherwise. Keystone v2 is not supported.
 *
 * <p>{@link #toString()} never shows the password or the application credential secret.
 */
public final class SwiftConfig {
    /** Every key {@link #fromMap} accepts (snake_case). */
    public static final List<String> KEYS = List.of(
            "auth_version", "auth_url", "username", "user_id", "user_domain_name", "user_domain_id", "password",
            "domain_id", "domain_name", "application_credential_id", "application_credential_name",
            "application_credential_secret", "project_id", "project_name", "project_domain_id", "project_domain_name",
            "region_name", "container_name", "internal", "max_retries", "retries", "connect_timeout", "request_timeout",
            "timeout", "listing_page_size",
            // accepted for compatibility with Thanos/Mimir blocks; uploads here are single PUTs (rule files are small)
            "large_object_chunk_size", "large_object_segments_container_name", "use_dynamic_large_objects");

    private final int authVersion;
    private final String authUrl;
    private final String username;
    private final String userId;
    private final String userDomainName;
    private final String userDomainId;
    private final String password;
    private final String domainId;
    private final String domainName;
    private final String applicationCredentialId;
    private final String applicationCredentialName;
    private final String applicationCredentialSecret;
    private final String projectId;
    private final String projectName;
    private final String projectDomainId;
    private final String projectDomainName;
    private final String regionName;
    private final String containerName;
    private final boolean internal;
    private final int maxRetries;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int listingPageSize;

    private SwiftConfig(Builder b) {
        if (b.authUrl == null || b.authUrl.isBlank()) throw new IllegalArgumentException("swift: auth_url is required");
        this.authUrl = stripTrailingSlash(b.authUrl.trim());
        this.authVersion = b.authVersion == 0 ? detectAuthVersion(authUrl) : b.authVersion;
        if (authVersion != 1 && authVersion != 3) {
            throw new IllegalArgumentException("swift: auth_version " + authVersion + " is not supported (1 = TempAuth, 3 = Keystone v3)");
        }
        this.username = b.username;
        this.userId = b.userId;
        this.userDomainName = b.userDomainName;
        this.userDomainId = b.userDomainId;
        this.password = b.password;
        this.domainId = b.domainId;
        this.domainName = b.domainName;
        this.applicationCredentialId = b.applicationCredentialId;
        this.applicationCredentialName = b.applicationCredentialName;
        this.applicationCredentialSecret = b.applicationCredentialSecret;
        this.projectId = b.projectId;
        this.projectName = b.projectName;
        this.projectDomainId = b.projectDomainId;
        this.projectDomainName = b.projectDomainName;
        this.regionName = b.regionName;
        this.containerName = b.containerName;
        this.internal = b.internal;
        this.maxRetries = b.maxRetries;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.listingPageSize = b.listingPageSize;
        if (maxRetries < 0) throw new IllegalArgumentException("swift: max_retries must be >= 0");
        if (listingPageSize < 1 || listingPageSize > 10_000) {
            throw new IllegalArgumentException("swift: listing_page_size must be in 1..10000 (Swift's maximum)");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("swift: connect_timeout and request_timeout must be positive");
        }
        validateCredentials();
    }

    private void validateCredentials() {
        if (authVersion == 1) {
            if (isBlank(username) || password == null) {
                throw new IllegalArgumentException("swift: auth_version 1 (TempAuth) needs username (account:user) and password (the key)");
            }
            return;
        }
        if (applicationCredentialSecret != null) {
            if (isBlank(applicationCredentialId) && isBlank(applicationCredentialName)) {
                throw new IllegalArgumentException("swift: application_credential_secret needs application_credential_id or application_credential_name");
            }
            if (isBlank(applicationCredentialId) && isBlank(userId) && isBlank(username)) {
                throw new IllegalArgumentException("swift: application_credential_name needs user_id or username");
            }
            return;
        }
        if (password == null || (isBlank(username) && isBlank(userId))) {
            throw new IllegalArgumentException("swift: auth_version 3 needs username or user_id, and password");
        }
        if (isBlank(userId) && isBlank(effectiveUserDomainId()) && isBlank(effectiveUserDomainName())) {
            throw new IllegalArgumentException("swift: username needs user_domain_name or user_domain_id (or domain_name/domain_id)");
        }
        if (isBlank(projectId) && !isBlank(projectName)
                && isBlank(effectiveProjectDomainId()) && isBlank(effectiveProjectDomainName())) {
            throw new IllegalArgumentException("swift: project_name needs project_domain_name or project_domain_id (or domain_name/domain_id)");
        }
    }

    /**
     * Reads the keys of a Thanos/Mimir {@code swift} block. Keys may be snake_case or kebab-case; values are
     * strings (durations like {@code 10s}, {@code 5m}, {@code 1h30m}, {@code 500ms}) or numbers/booleans.
     * Unknown keys are rejected so that typos do not silently fall back to defaults.
     */
    public static SwiftConfig fromMap(Map<String, ?> values) {
        Builder b = builder();
        for (Map.Entry<String, ?> e : new TreeMap<>(values).entrySet()) {
            String key = e.getKey().trim().replace('-', '_').toLowerCase(Locale.ROOT);
            Object raw = e.getValue();
            String value = raw == null ? null : raw.toString().trim();
            if (value == null) continue;
            switch (key) {
                case "auth_version" -> b.authVersion(parseInt(key, value));
                case "auth_url" -> b.authUrl(value);
                case "username" -> b.username(value);
                case "user_id" -> b.userId(value);
                case "user_domain_name" -> b.userDomainName(value);
                case "user_domain_id" -> b.userDomainId(value);
                case "password" -> b.password(raw.toString());
                case "domain_id" -> b.domainId(value);
                case "domain_name" -> b.domainName(value);
                case "application_credential_id" -> b.applicationCredentialId(value);
                case "application_credential_name" -> b.applicationCredentialName(value);
                case "application_credential_secret" -> b.applicationCredentialSecret(raw.toString());
                case "project_id" -> b.projectId(value);
                case "project_name" -> b.projectName(value);
                case "project_domain_id" -> b.projectDomainId(value);
                case "project_domain_name" -> b.projectDomainName(value);
                case "region_name" -> b.regionName(value);
                case "container_name" -> b.containerName(value);
                case "internal" -> b.internal(parseBoolean(key, value));
                case "max_retries", "retries" -> b.maxRetries(parseInt(key, value));
                case "connect_timeout" -> b.connectTimeout(parseDuration(key, value));
                case "request_timeout", "timeout" -> b.requestTimeout(parseDuration(key, value));
                case "listing_page_size" -> b.listingPageSize(parseInt(key, value));
                case "large_object_chunk_size", "large_object_segments_container_name", "use_dynamic_large_objects" -> { }
                default -> throw new IllegalArgumentException("swift: unknown key '" + e.getKey() + "'; known keys: " + KEYS);
            }
        }
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int authVersion() { return authVersion; }
    public String authUrl() { return authUrl; }
    public String username() { return username; }
    public String userId() { return userId; }
    public String password() { return password; }
    public String domainId() { return domainId; }
    public String domainName() { return domainName; }
    public String applicationCredentialId() { return applicationCredentialId; }
    public String applicationCredentialName() { return applicationCredentialName; }
    public String applicationCredentialSecret() { return applicationCredentialSecret; }
    public String projectId() { return projectId; }
    public String projectName() { return projectName; }
    public String regionName() { return regionName; }
    /** The container of {@code swift:///path} URIs (no authority); may be null. */
    public String containerName() { return containerName; }
    /** Whether the Keystone catalog's {@code internal} endpoint is used instead of {@code public}. */
    public boolean internal() { return internal; }
    public int maxRetries() { return maxRetries; }
    public Duration connectTimeout() { return connectTimeout; }
    public Duration requestTimeout() { return requestTimeout; }
    public int listingPageSize() { return listingPageSize; }

    /** The user's domain: {@code user_domain_*}, else {@code domain_*} (as python-swiftclient and gophercloud do). */
    public String effectiveUserDomainName() { return firstNonBlank(userDomainName, domainName); }
    public String effectiveUserDomainId() { return firstNonBlank(userDomainId, domainId); }
    public String effectiveProjectDomainName() { return firstNonBlank(projectDomainName, domainName); }
    public String effectiveProjectDomainId() { return firstNonBlank(projectDomainId, domainId); }

    /** Same settings, another listing page size (tests use small pages to exercise paging). */
    public SwiftConfig withListingPageSize(int size) {
        return toBuilder().listingPageSize(size).build();
    }

    public Builder toBuilder() {
        return builder().authVersion(authVersion).authUrl(authUrl).username(username).userId(userId)
                .userDomainName(userDomainName).userDomainId(userDomainId).password(password).domainId(domainId)
                .domainName(domainName).applicationCredentialId(applicationCredentialId)
                .applicationCredentialName(applicationCredentialName).applicationCredentialSecret(applicationCredentialSecret)
                .projectId(projectId).projectName(projectName).projectDomainId(projectDomainId)
                .projectDomainName(projectDomainName).regionName(regionName).containerName(containerName)
                .internal(internal).maxRetries(maxRetries).connectTimeout(connectTimeout).requestTimeout(requestTimeout)
                .listingPageSize(listingPageSize);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("SwiftConfig{auth_version=").append(authVersion).append(", auth_url=").append(authUrl);
        append(s, "username", username);
        append(s, "user_id", userId);
        append(s, "user_domain_name", userDomainName);
        append(s, "user_domain_id", userDomainId);
        if (password != null) s.append(", password=<redacted>");
        append(s, "domain_id", domainId);
        append(s, "domain_name", domainName);
        append(s, "application_credential_id", applicationCredentialId);
        append(s, "application_credential_name", applicationCredentialName);
        if (applicationCredentialSecret != null) s.append(", application_credential_secret=<redacted>");
        append(s, "project_id", projectId);
        append(s, "project_name", projectName);
        append(s, "project_domain_id", projectDomainId);
        append(s, "project_domain_name", projectDomainName);
        append(s, "region_name", regionName);
        append(s, "container_name", containerName);
        return s.append(", internal=").append(internal).append(", max_retries=").append(maxRetries)
                .append(", connect_timeout=").append(connectTimeout).append(", request_timeout=").append(requestTimeout)
                .append(", listing_page_size=").append(listingPageSize).append('}').toString();
    }

    private static void append(StringBuilder s, String key, String value) {
        if (value != null) s.append(", ").append(key).append('=').append(value);
    }

    static int detectAuthVersion(String authUrl) {
        String path = authUrl.toLowerCase(Locale.ROOT);
        if (path.contains("/v3")) return 3;
        if (path.contains("/v2")) return 2; // rejected by the caller: v2 is gone from Keystone since Queens
        return 1;
    }

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    /** Go/Prometheus-style durations ({@code 1h30m}, {@code 10s}, {@code 250ms}); a bare number is seconds. */
    static Duration parseDuration(String key, String value) {
        if (value.matches("\\d+")) return Duration.ofSeconds(Long.parseLong(value));
        Matcher m = DURATION_PART.matcher(value);
        long nanos = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) break;
            double amount = Double.parseDouble(m.group(1));
            long unitNanos = switch (m.group(2)) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos += Math.round(amount * unitNanos);
            end = m.end();
        }
        if (end == 0 || end != value.length()) {
            throw new IllegalArgumentException("swift: " + key + " is not a duration (like 10s, 5m, 1h30m): " + value);
        }
        return Duration.ofNanos(nanos);
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("swift: " + key + " is not an integer: " + value);
        }
    }

    private static boolean parseBoolean(String key, String value) {
        if (value.equalsIgnoreCase("true")) return true;
        if (value.equalsIgnoreCase("false")) return false;
        throw new IllegalArgumentException("swift: " + key + " is not true or false: " + value);
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String firstNonBlank(String a, String b) {
        return isBlank(a) ? (isBlank(b) ? null : b) : a;
    }

    /** Mutable settings; {@link #build()} validates them. */
    public static final class Builder {
        private int authVersion;
        private String authUrl;
        private String username;
        private String userId;
        private String userDomainName;
        private String userDomainId;
        private String password;
        private String domainId;
        private String domainName;
        private String applicationCredentialId;
        private String applicationCredentialName;
        private String applicationCredentialSecret;
        private String projectId;
        private String projectName;
        private String projectDomainId;
        private String projectDomainName;
        private String regionName;
        private String containerName;
        private boolean internal;
        private int maxRetries = 3;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofMinutes(5);
        private int listingPageSize = 10_000;

        private Builder() {
        }

        public Builder authVersion(int v) { authVersion = v; return this; }
        public Builder authUrl(String v) { authUrl = v; return this; }
        public Builder username(String v) { username = v; return this; }
        public Builder userId(String v) { userId = v; return this; }
        public Builder userDomainName(String v) { userDomainName = v; return this; }
        public Builder userDomainId(String v) { userDomainId = v; return this; }
        public Builder password(String v) { password = v; return this; }
        public Builder domainId(String v) { domainId = v; return this; }
        public Builder domainName(String v) { domainName = v; return this; }
        public Builder applicationCredentialId(String v) { applicationCredentialId = v; return this; }
        public Builder applicationCredentialName(String v) { applicationCredentialName = v; return this; }
        public Builder applicationCredentialSecret(String v) { applicationCredentialSecret = v; return this; }
        public Builder projectId(String v) { projectId = v; return this; }
        public Builder projectName(String v) { projectName = v; return this; }
        public Builder projectDomainId(String v) { projectDomainId = v; return this; }
        public Builder projectDomainName(String v) { projectDomainName = v; return this; }
        public Builder regionName(String v) { regionName = v; return this; }
        public Builder containerName(String v) { containerName = v; return this; }
        public Builder internal(boolean v) { internal = v; return this; }
        public Builder maxRetries(int v) { maxRetries = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = Objects.requireNonNull(v); return this; }
        public Builder requestTimeout(Duration v) { requestTimeout = Objects.requireNonNull(v); return this; }
        public Builder listingPageSize(int v) { listingPageSize = v; return this; }

        public SwiftConfig build() {
            return new SwiftConfig(this);
        }

    }
}
