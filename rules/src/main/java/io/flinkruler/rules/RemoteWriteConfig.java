package io.flinkruler.rules;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One remote-write endpoint, as Prometheus's {@code remote_write} entry. Credentials given as
 * {@code user:pass@} in the URL are moved to basic auth, so {@link #url()} never carries them.
 * {@link #toString()} never shows a secret.
 */
public final class RemoteWriteConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String url;
    private final String name;
    private final TreeMap<String, String> headers;
    private final String basicAuthUsername;
    private final String basicAuthPassword;
    private final Duration remoteTimeout;

    public RemoteWriteConfig(String url, String name, Map<String, String> headers,
                             String basicAuthUsername, String basicAuthPassword, Duration remoteTimeout) {
        URI uri = URI.create(url);
        String user = basicAuthUsername;
        String pass = basicAuthPassword;
        String clean = url;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getUserInfo();
            int colon = info.indexOf(':');
            user = colon < 0 ? info : info.substring(0, colon);
            pass = colon < 0 ? "" : info.substring(colon + 1);
            clean = url.replace(uri.getRawUserInfo() + "@", "");
        }
        this.url = clean;
        this.name = name == null ? "" : name;
        this.headers = new TreeMap<>(headers == null ? Map.of() : headers);
        this.basicAuthUsername = user;
        this.basicAuthPassword = pass;
        this.remoteTimeout = remoteTimeout == null ? Duration.ofSeconds(30) : remoteTimeout;
    }

    public static RemoteWriteConfig ofUrl(String url) {
        return new RemoteWriteConfig(url, null, null, null, null, null);
    }

    /** The URL without credentials. */
    public String url() { return url; }
    public String name() { return name; }
    public Map<String, String> headers() { return headers; }
    public String basicAuthUsername() { return basicAuthUsername; }
    public String basicAuthPassword() { return basicAuthPassword; }
    public Duration remoteTimeout() { return remoteTimeout; }

    /** What logs and metrics may show: the name, else the URL (which never has credentials). */
    public String displayName() { return name.isEmpty() ? url : name; }

    /** A copy that also sends {@code header: value} (e.g. X-Scope-OrgID for the tenant endpoint). */
    public RemoteWriteConfig withHeader(String header, String value) {
        TreeMap<String, String> h = new TreeMap<>(headers);
        h.put(header, value);
        return new RemoteWriteConfig(url, name, h, basicAuthUsername, basicAuthPassword, remoteTimeout);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RemoteWriteConfig c && url.equals(c.url) && name.equals(c.name) && headers.equals(c.headers)
                && Objects.equals(basicAuthUsername, c.basicAuthUsername) && Objects.equals(basicAuthPassword, c.basicAuthPassword)
                && remoteTimeout.equals(c.remoteTimeout);
    }

    @Override
    public int hashCode() { return Objects.hash(url, name, headers, basicAuthUsername, remoteTimeout); }

    @Override
    public String toString() {
        return "RemoteWriteConfig{url=" + url + (name.isEmpty() ? "" : ", name=" + name)
                + (basicAuthUsername != null ? ", basic_auth=" + basicAuthUsername + ":<secret>" : "") + "}";
    }
}
