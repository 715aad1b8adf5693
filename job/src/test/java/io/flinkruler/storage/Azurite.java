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
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Azurite's Blob service (scripts/start-azurite.sh) on port 10000: Hadoop's wasb:// emulator mode, which the ruler
 * uses for the development account devstoreaccount1, cannot talk to another port.
 */
final class Azurite extends ObjectStore {
    static final int PORT = 10000;
    /** The storage emulator's published development key (not a secret). */
    static final String DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Azurite(Path dataDir, int port, long millis) { super(dataDir, port, millis); }

    static Azurite start() {
        Started s = ObjectStore.start("start-azurite.sh", "azurite", PORT);
        return new Azurite(s.dataDir(), s.port(), s.millis());
    }

    @Override
    String type() { return "azure"; }

    @Override
    String storageYaml(String bucket) {
        return """
                    azure:
                      account_name: devstoreaccount1
                      account_key: %s
                      container_name: %s
                """.formatted(DEV_KEY, bucket);
    }

    /**
     * PUT of the container with SharedKey authorization. WASB needs the container to exist: it creates missing
     * parent folders by walking up to the container's root, which must exist.
     */
    @Override
    void createBucket(String bucket) throws IOException {
        String account = "devstoreaccount1";
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        String version = "2021-08-06";
        // path-style URLs put the account into the path, so it appears twice in the canonicalized resource
        String toSign = "PUT\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:" + date + "\nx-ms-version:" + version + "\n/"
                + account + "/" + account + "/" + bucket + "\nrestype:container";
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(DEV_KEY), "HmacSHA256"));
            String signature = Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + account + "/" + bucket + "?restype=container"))
                    .header("x-ms-date", date).header("x-ms-version", version)
                    .header("Authorization", "SharedKey " + account + ":" + signature)
                    .PUT(HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) throw new IOException("creating container " + bucket + ": HTTP " + r.statusCode() + " " + r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
