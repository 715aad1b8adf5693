package io.flinkruler.remotewrite.internal;

import io.flinkruler.rules.RemoteWriteConfig.TlsConfig;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SSLContext of an endpoint's {@code tls_config}: trusted CAs (the JVM's when none is given), the client
 * certificate and key, all PEM, from files or inline. {@link #fingerprint(TlsConfig)} changes when a file
 * changes, so that callers can rebuild the context after a certificate rotation.
 */
final class TlsMaterial {
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    private TlsMaterial() {}

    /** Modification times and sizes of the files the config names; equal fingerprints mean nothing to reload. */
    static String fingerprint(TlsConfig tls) {
        StringBuilder sb = new StringBuilder();
        for (String file : new String[] {tls.caFile(), tls.certFile(), tls.keyFile()}) {
            if (file == null) continue;
            Path p = Path.of(file);
            try {
                sb.append(file).append('@').append(Files.getLastModifiedTime(p).toMillis()).append('/').append(Files.size(p)).append(';');
            } catch (IOException e) {
                sb.append(file).append("@missing;");
            }
        }
        return sb.toString();
    }

    static SSLContext sslContext(TlsConfig tls) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(tls), trustManagers(tls), null);
        return context;
    }

    private static javax.net.ssl.KeyManager[] keyManagers(TlsConfig tls) throws IOException, GeneralSecurityException {
        if (!tls.hasClientCertificate()) return null;
        List<X509Certificate> chain = certificates(text(tls.cert(), tls.certFile(), "cert_file"));
        if (chain.isEmpty()) throw new GeneralSecurityException("no certificate in " + describe(tls.certFile(), "cert"));
        PrivateKey key = privateKey(text(tls.key(), tls.keyFile(), "key_file"), describe(tls.keyFile(), "key"));
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        char[] password = new char[0];
        store.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory.getKeyManagers();
    }

    private static TrustManager[] trustManagers(TlsConfig tls) throws IOException, GeneralSecurityException {
        if (tls.insecureSkipVerify()) return new TrustManager[] {new TrustEverything()};
        if (tls.ca() == null && tls.caFile() == null) return null; // the JVM's trust store
        List<X509Certificate> cas = certificates(text(tls.ca(), tls.caFile(), "ca_file"));
        if (cas.isEmpty()) throw new GeneralSecurityException("no certificate in " + describe(tls.caFile(), "ca"));
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < cas.size(); i++) store.setCertificateEntry("ca-" + i, cas.get(i));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static String describe(String file, String inlineField) {
        return file != null ? file : "inline " + inlineField;
    }

    private static String text(String inline, String file, String field) throws IOException {
        if (inline != null) return inline;
        try {
            return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IOException("cannot read tls_config." + field + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        Collection<? extends Certificate> parsed = factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        List<X509Certificate> result = new ArrayList<>();
        for (Certificate c : parsed) result.add((X509Certificate) c);
        return result;
    }

    /** PKCS#8 ({@code PRIVATE KEY}) keys of any algorithm, and PKCS#1 ({@code RSA PRIVATE KEY}) RSA keys. */
    private static PrivateKey privateKey(String pem, String where) throws GeneralSecurityException {
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            if (!type.endsWith("PRIVATE KEY")) continue;
            byte[] der = Base64.getMimeDecoder().decode(m.group(2).trim());
            if (type.equals("RSA PRIVATE KEY")) return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs1ToPkcs8(der)));
            if (!type.equals("PRIVATE KEY")) throw new GeneralSecurityException(type + " in " + where + " is not supported: convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)");
            for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "DSA"}) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (GeneralSecurityException wrongAlgorithm) {
                    // try the next one
                }
            }
            throw new GeneralSecurityException("cannot read the private key in " + where);
        }
        throw new GeneralSecurityException("no PEM private key in " + where);
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, the key as an octet string). */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = derElement(0x04, pkcs1);
        byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return derElement(0x30, body);
    }

    private static byte[] derElement(int tag, byte[] content) {
        int n = content.length;
        byte[] length = n < 0x80 ? new byte[] {(byte) n}
                : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
                : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
                : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        byte[] out = new byte[1 + length.length + n];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(content, 0, out, 1 + length.length, n);
        return out;
    }

    /** insecure_skip_verify: any server certificate is accepted (and the host name is not checked either). */
    private static final class TrustEverything implements X509TrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
