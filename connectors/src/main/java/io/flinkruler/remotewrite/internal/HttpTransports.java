package io.flinkruler.remotewrite.internal;

import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.RemoteWriteConfig.TlsConfig;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.URLDecoder;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One pooled HTTP client per distinct transport setting (TLS, proxy, redirects) of the endpoints a sender
 * serves. A client whose TLS files changed on disk is replaced on the next request, so that rotated
 * certificates and CAs are picked up without a restart; connections of the old client are closed.
 */
final class HttpTransports implements AutoCloseable {
    private static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(10);
    private static final String[] TLS_VERSIONS = {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"};

    private record Key(TlsConfig tls, String proxyUrl, boolean followRedirects) {}

    private record Entry(CloseableHttpClient client, String tlsFingerprint) {}

    private final Map<Key, Entry> clients = new ConcurrentHashMap<>();

    /** The client for {@code endpoint}; IOException when its TLS material cannot be read or parsed. */
    CloseableHttpClient clientFor(RemoteWriteConfig endpoint) throws IOException {
        Key key = new Key(endpoint.tls(), endpoint.proxyUrl(), endpoint.followRedirects());
        String fingerprint = TlsMaterial.fingerprint(endpoint.tls());
        Entry entry = clients.get(key);
        if (entry != null && entry.tlsFingerprint.equals(fingerprint)) return entry.client;
        synchronized (this) {
            entry = clients.get(key);
            if (entry != null && entry.tlsFingerprint.equals(fingerprint)) return entry.client;
            Entry fresh = new Entry(build(key), fingerprint);
            clients.put(key, fresh);
            if (entry != null) entry.client.close();
            return fresh.client;
        }
    }

    private static CloseableHttpClient build(Key key) throws IOException {
        PoolingHttpClientConnectionManagerBuilder pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(64)
                .setMaxConnPerRoute(16)
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(CONNECT_TIMEOUT).build());
        if (!key.tls.isDefault()) {
            try {
                pool.setTlsSocketStrategy(new ConfiguredTls(TlsMaterial.sslContext(key.tls), key.tls));
            } catch (GeneralSecurityException e) {
                throw new IOException("invalid tls_config: " + e.getMessage(), e);
            }
        }
        HttpClientBuilder builder = HttpClients.custom()
                .setConnectionManager(pool.build())
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableContentCompression()
                .evictIdleConnections(TimeValue.ofMinutes(1));
        if (!key.followRedirects) builder.disableRedirectHandling();
        if (key.proxyUrl != null) configureProxy(builder, key.proxyUrl);
        return builder.build();
    }

    private static void configureProxy(HttpClientBuilder builder, String proxyUrl) {
        URI uri = URI.create(proxyUrl);
        HttpHost proxy = new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort());
        builder.setProxy(proxy);
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            String user = URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), StandardCharsets.UTF_8);
            String password = colon < 0 ? "" : URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8);
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(new AuthScope(proxy), new UsernamePasswordCredentials(user, password.toCharArray()));
            builder.setDefaultCredentialsProvider(credentials);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        List<IOException> failures = new ArrayList<>();
        for (Entry e : clients.values()) {
            try {
                e.client.close();
            } catch (IOException ex) {
                failures.add(ex);
            }
        }
        clients.clear();
        if (!failures.isEmpty()) throw failures.get(0);
    }

    /**
     * TLS as {@code tls_config} asks: {@code server_name} for SNI and for checking the certificate's host name,
     * the allowed protocol versions, and no host-name check with {@code insecure_skip_verify}.
     */
    private static final class ConfiguredTls implements TlsSocketStrategy {
        private final SSLContext context;
        private final TlsConfig tls;

        ConfiguredTls(SSLContext context, TlsConfig tls) {
            this.context = context;
            this.tls = tls;
        }

        @Override
        public SSLSocket upgrade(java.net.Socket socket, String target, int port, Object attachment,
                                 org.apache.hc.core5.http.protocol.HttpContext httpContext) throws IOException {
            String serverName = tls.serverName() != null ? tls.serverName() : target;
            SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, serverName, port, true);
            SSLParameters parameters = ssl.getSSLParameters();
            if (tls.serverName() != null) parameters.setServerNames(List.of(new SNIHostName(tls.serverName())));
            String[] protocols = protocols(ssl.getSupportedProtocols());
            if (protocols.length > 0) parameters.setProtocols(protocols);
            ssl.setSSLParameters(parameters);
            ssl.startHandshake();
            if (!tls.insecureSkipVerify() && !new DefaultHostnameVerifier().verify(serverName, ssl.getSession())) {
                ssl.close();
                throw new SSLPeerUnverifiedException("certificate of " + target + " does not match host name " + serverName);
            }
            return ssl;
        }

        private String[] protocols(String[] supported) {
            int min = tls.minVersion() == null ? 2 : tls.minVersion().charAt(4) - '0'; // TLS12 -> 2; Go's default minimum is TLS 1.2
            int max = tls.maxVersion() == null ? 3 : tls.maxVersion().charAt(4) - '0';
            List<String> allowed = new ArrayList<>();
            List<String> available = List.of(supported);
            for (int v = min; v <= max; v++) {
                if (available.contains(TLS_VERSIONS[v])) allowed.add(TLS_VERSIONS[v]);
            }
            return allowed.toArray(new String[0]);
        }
    }
}
