package io.flinkruler.storage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** s3proxy (scripts/start-s3proxy.sh): the S3 API, path-style, keys test-access-key / test-secret-key. */
final class S3Proxy extends ObjectStore {
    static final String ACCESS_KEY = "test-access-key";
    static final String SECRET_KEY = "test-secret-key";

    private S3Proxy(Path dataDir, int port, long millis) { super(dataDir, port, millis); }

    static S3Proxy start() {
        Started s = ObjectStore.start("start-s3proxy.sh", "s3proxy", null);
        return new S3Proxy(s.dataDir(), s.port(), s.millis());
    }

    @Override
    String type() { return "s3"; }

    @Override
    String storageYaml(String bucket) {
        return """
                    s3:
                      endpoint: 127.0.0.1:%d
                      insecure: true
                      s3forcepathstyle: true
                      region: us-east-1
                      bucketnames: %s
                      access_key_id: %s
                      secret_access_key: ${S3_SECRET_KEY}
                """.formatted(port, bucket, ACCESS_KEY);
    }

    @Override
    Map<String, String> environment() { return Map.of("S3_SECRET_KEY", SECRET_KEY); }

    /** PUT /bucket, signed with AWS signature version 2 (which s3proxy accepts beside v4: a few lines instead of many). */
    @Override
    void createBucket(String bucket) throws IOException {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        String toSign = "PUT\n\n\n" + date + "\n/" + bucket;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(SECRET_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String signature = Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + bucket))
                    .header("Date", date).header("Authorization", "AWS " + ACCESS_KEY + ":" + signature)
                    .PUT(HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IOException("creating bucket " + bucket + ": HTTP " + r.statusCode() + " " + r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
