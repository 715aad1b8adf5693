package io.flinkruler.remotewrite;

import io.flinkruler.model.Labels;
import io.flinkruler.remotewrite.internal.RemoteWriteHttpSender;
import io.flinkruler.remotewrite.internal.SendResult;
import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.RemoteWriteConfig.TlsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTPS endpoints with a test CA made here with Debian's {@code openssl}: CA files, server_name, client
 * certificates (mutual TLS), insecure_skip_verify, and a CA file replaced while the sender runs.
 */
class RemoteWriteTlsTest {
    private static final Labels SERIES = Labels.of("__name__", "job:up", "job", "tls");

    @TempDir
    static Path dir;
    private static LocalRemoteWriteReceiver server;
    private static LocalRemoteWriteReceiver mutualServer;
    private static RemoteWriteHttpSender sender;

    @BeforeAll
    static void makeCertificatesAndStartServers() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=flink-ruler test CA",
                "-keyout", "ca.key", "-out", "ca.pem");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=other CA",
                "-keyout", "other-ca.key", "-out", "other-ca.pem");
        issue("server", "/CN=rw.test", "subjectAltName=DNS:rw.test,DNS:localhost,IP:127.0.0.1");
        issue("client", "/CN=ruler", "extendedKeyUsage=clientAuth");
        // PKCS#1 form of the client key, as older tooling writes it
        openssl("rsa", "-in", "client.key", "-traditional", "-out", "client-pkcs1.key");
        openssl("pkcs12", "-export", "-in", "server.pem", "-inkey", "server.key", "-passout", "pass:test", "-out", "server.p12");

        server = LocalRemoteWriteReceiver.startHttps(0, serverContext(), false);
        mutualServer = LocalRemoteWriteReceiver.startHttps(0, serverContext(), true);
        sender = new RemoteWriteHttpSender("flink-ruler/test");
    }

    @AfterAll
    static void stop() throws IOException {
        if (sender != null) sender.close();
        if (server != null) server.close();
        if (mutualServer != null) mutualServer.close();
    }

    private static void issue(String name, String subject, String extension) throws Exception {
        Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", name + ".key", "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", name + ".ext", "-out", name + ".pem");
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "openssl " + String.join(" ", args) + ":\n" + output);
    }

    /** Server certificate from the PKCS#12 file; trusts the test CA for client certificates. */
    private static SSLContext serverContext() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
            keys.load(in, "test".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "test".toCharArray());
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static TlsConfig tls(String caFile, String certFile, String keyFile, String serverName, boolean insecure) {
        return new TlsConfig(caFile == null ? null : dir.resolve(caFile).toString(), null,
                certFile == null ? null : dir.resolve(certFile).toString(), null,
                keyFile == null ? null : dir.resolve(keyFile).toString(), null, serverName, insecure, null, null);
    }

    private static SendResult send(LocalRemoteWriteReceiver to, TlsConfig tls) {
        return send(to.writeUrl(), tls);
    }

    private static SendResult send(String url, TlsConfig tls) {
        RemoteWriteConfig endpoint = RemoteWriteConfig.builder(url).tls(tls).build();
        return sender.send(endpoint, WriteRequestCodec.encodeCompressed(List.of(new SeriesSamples(SERIES, new long[] {1}, new double[] {1}))));
    }

    @Test
    void caFileMakesTheServerTrusted() {
        assertTrue(send(server, tls("ca.pem", null, null, null, false)).isSuccess());
        assertTrue(server.writeUrl().startsWith("https://"));
    }

    @Test
    void withoutTheCaTheHandshakeFailsAndIsRetryable() {
        SendResult untrusted = send(server, TlsConfig.DEFAULT);
        assertEquals(SendResult.Kind.RETRYABLE, untrusted.kind(), untrusted::describe);
        SendResult wrongCa = send(server, tls("other-ca.pem", null, null, null, false));
        assertEquals(SendResult.Kind.RETRYABLE, wrongCa.kind(), wrongCa::describe);
    }

    @Test
    void insecureSkipVerifyAcceptsAnyCertificate() {
        assertTrue(send(server, tls(null, null, null, null, true)).isSuccess());
    }

    @Test
    void serverNameIsWhatTheCertificateIsCheckedAgainst() {
        assertTrue(send(server, tls("ca.pem", null, null, "rw.test", false)).isSuccess());
        SendResult mismatch = send(server, tls("ca.pem", null, null, "elsewhere.test", false));
        assertEquals(SendResult.Kind.RETRYABLE, mismatch.kind());
        assertTrue(mismatch.describe().contains("elsewhere.test"), mismatch.describe());
    }

    @Test
    void mutualTlsNeedsTheClientCertificateInPkcs8OrPkcs1() {
        assertEquals(SendResult.Kind.RETRYABLE, send(mutualServer, tls("ca.pem", null, null, null, false)).kind());
        assertTrue(send(mutualServer, tls("ca.pem", "client.pem", "client.key", null, false)).isSuccess());
        assertTrue(send(mutualServer, tls("ca.pem", "client.pem", "client-pkcs1.key", null, false)).isSuccess());
    }

    @Test
    void aReplacedCaFileIsReadAgain() throws Exception {
        Path rotating = dir.resolve("rotating-ca.pem");
        Files.copy(dir.resolve("other-ca.pem"), rotating, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(SendResult.Kind.RETRYABLE, send(server, tls("rotating-ca.pem", null, null, null, false)).kind());
        Files.copy(dir.resolve("ca.pem"), rotating, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(rotating, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertTrue(send(server, tls("rotating-ca.pem", null, null, null, false)).isSuccess());
    }

    @Test
    void unreadableTlsFilesAreReportedByPathWithoutContent() {
        SendResult missing = send(server, tls("no-such-ca.pem", null, null, null, false));
        assertEquals(SendResult.Kind.RETRYABLE, missing.kind());
        assertTrue(missing.describe().contains("no-such-ca.pem"), missing.describe());
    }
}
