package io.flinkruler.rules;

import io.flinkruler.rules.RemoteWriteConfig.RelabelAction;
import io.flinkruler.rules.RemoteWriteConfig.RelabelConfig;
import io.flinkruler.yaml.YamlLoader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RemoteWriteConfigCodecTest {
    private static RemoteWriteConfig roundTrip(RemoteWriteConfig config) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RemoteWriteConfigCodec.write(config, new DataOutputStream(bytes));
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        RemoteWriteConfig copy = RemoteWriteConfigCodec.read(in);
        assertEquals(-1, in.read(), "everything written is read");
        return copy;
    }

    @Test
    void everyFieldSurvives() throws IOException {
        RemoteWriteConfig full = RemoteWriteConfigParser.parse(YamlLoader.load("/x/rw.yaml", """
                url: https://mimir.example/api/v1/push
                name: mimir
                remote_timeout: 10s
                headers: {X-Scope-OrgID: team-a, X-Other: é}
                basic_auth: {username_file: user, password: p}
                tls_config: {ca: "pem", cert_file: c, key: k, server_name: s, insecure_skip_verify: true, min_version: TLS11, max_version: TLS13}
                proxy_url: http://u:p@proxy:3128
                follow_redirects: false
                write_relabel_configs:
                  - {source_labels: [a, b], separator: '', regex: 'x(.*)', target_label: 'y$1', replacement: '', action: replace}
                  - {source_labels: [c], target_label: h, modulus: 18446744073709551, action: hashmod}
                queue_config: {capacity: 5, max_samples_per_send: 2, min_backoff: 1s, retry_on_http_429: false, sample_age_limit: 5m}
                protobuf_message: io.prometheus.write.v2.Request
                send_exemplars: true
                """, null), new ArrayList<>());
        RemoteWriteConfig copy = roundTrip(full);
        assertEquals(full, copy);
        assertEquals(full.toString(), copy.toString());
        assertEquals("p", copy.basicAuthPassword());
        assertEquals(new RelabelConfig(List.of("a", "b"), "", "x(.*)", 0, "y$1", "", RelabelAction.REPLACE), copy.writeRelabelConfigs().get(0));

        RemoteWriteConfig bearer = RemoteWriteConfig.builder("http://x/").bearerToken("t").build();
        assertEquals(bearer, roundTrip(bearer));
        RemoteWriteConfig plain = RemoteWriteConfig.ofUrl("http://x/");
        assertEquals(plain, roundTrip(plain));
    }

    @Test
    void version1LayoutIsStillRead() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF("http://rw/push");
        out.writeUTF("n");
        out.writeInt(1);
        out.writeUTF("X-Scope-OrgID");
        out.writeUTF("t");
        out.writeBoolean(true);
        out.writeUTF("u");
        out.writeBoolean(true);
        out.writeUTF("p");
        out.writeLong(7000);
        RemoteWriteConfig read = RemoteWriteConfigCodec.readVersion1(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), true);
        assertEquals(new RemoteWriteConfig("http://rw/push", "n", Map.of("X-Scope-OrgID", "t"), "u", "p", Duration.ofSeconds(7)), read);
    }

    @Test
    void unknownVersionIsAnError() {
        assertThrows(IOException.class, () -> RemoteWriteConfigCodec.read(new DataInputStream(new ByteArrayInputStream(new byte[] {9}))));
    }
}
