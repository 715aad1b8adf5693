package io.flinkruler.swift;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.flinkruler.swift.SwiftFileSystemTest.bytes;
import static io.flinkruler.swift.SwiftFileSystemTest.read;
import static io.flinkruler.swift.SwiftFileSystemTest.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keystone v3 authentication. The honest gap: no Keystone can run on this machine (Debian's keystone needs a
 * database service and a WSGI deployment we do not have), so Keystone is a small JDK HTTP server here. It checks
 * the token request the way Keystone would (password method, user and project by name within their domains) and
 * answers like Keystone (201, token in {@code X-Subject-Token}, a catalog with several services, regions and
 * interfaces). The token it hands out is a real TempAuth token of the real Swift proxy and the catalog's
 * RegionOne/public object-store endpoint is that proxy's real storage URL, so everything after authentication
 * (and re-authentication after the token dies) runs against real Swift. The other endpoints point at an account
 * the token has no rights on: choosing a wrong endpoint fails with 403.
 */
@ExtendWith(SwiftServer.class)
class KeystoneV3AuthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SwiftServer.Instance swift;

    private HttpServer keystone;
    private final List<JsonNode> tokenRequests = new CopyOnWriteArrayList<>();
    /** Number of 503 answers to give before answering normally. */
    private final AtomicInteger unavailableAnswers = new AtomicInteger();

    @BeforeAll
    static void swift(SwiftServer.Instance server) throws IOException {
        swift = server;
        try (SwiftFileSystem admin = SwiftFileSystem.create(server.tempAuthConfig().build())) {
            admin.mkdirs(new Path("swift://keystone/"));
            write(admin, new Path("swift://keystone/tenant-a/g.yaml"), bytes("groups: []\n"));
        }
    }

    @BeforeEach
    void startKeystone() throws IOException {
        keystone = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        keystone.createContext("/v3/auth/tokens", this::answerTokenRequest);
        keystone.start();
    }

    @AfterEach
    void stopKeystone() {
        keystone.stop(0);
    }

    private SwiftConfig.Builder keystoneConfig() {
        return SwiftConfig.builder()
                .authUrl("http://127.0.0.1:" + keystone.getAddress().getPort() + "/v3")
                .username("ruler").userDomainName("Default").password("keystone-pa55")
                .projectName("observability").projectDomainName("Default")
                .regionName("RegionOne").maxRetries(0);
    }

    @Test
    void authenticatesWithPasswordAndUsesTheRegionsPublicObjectStore() throws IOException {
        SwiftConfig config = keystoneConfig().build();
        assertEquals(3, config.authVersion(), "detected from /v3 in auth_url");
        try (SwiftFileSystem fs = SwiftFileSystem.create(config)) {
            assertArrayEquals(bytes("groups: []\n"), read(fs, new Path("swift://keystone/tenant-a/g.yaml")));
            assertEquals(1, fs.listStatus(new Path("swift://keystone/tenant-a")).length);
        }
        assertEquals(1, tokenRequests.size());
        JsonNode auth = tokenRequests.get(0).path("auth");
        assertEquals("[\"password\"]", auth.path("identity").path("methods").toString());
        JsonNode user = auth.path("identity").path("password").path("user");
        assertEquals("ruler", user.path("name").asText());
        assertEquals("Default", user.path("domain").path("name").asText());
        assertEquals("keystone-pa55", user.path("password").asText());
        assertEquals("observability", auth.path("scope").path("project").path("name").asText());
        assertEquals("Default", auth.path("scope").path("project").path("domain").path("name").asText());
    }

    @Test
    void internalSelectsTheInternalEndpoint() throws IOException {
        // in this catalog RegionTwo's internal endpoint is the real one
        try (SwiftFileSystem fs = SwiftFileSystem.create(keystoneConfig().regionName("RegionTwo").internal(true).build())) {
            assertTrue(fs.exists(new Path("swift://keystone/tenant-a/g.yaml")));
        }
        try (SwiftFileSystem fs = SwiftFileSystem.create(keystoneConfig().regionName("RegionTwo").build())) {
            SwiftException e = assertThrows(SwiftException.class, () -> fs.listStatus(new Path("swift://keystone/")));
            assertEquals(403, e.status(), "RegionTwo/public is the decoy account");
        }
    }

    @Test
    void authenticatesAgainWhenSwiftRejectsTheToken() throws Exception {
        try (SwiftFileSystem fs = SwiftFileSystem.create(keystoneConfig().build())) {
            assertTrue(fs.exists(new Path("swift://keystone/tenant-a/g.yaml")));
            swift.expireAllTokens();
            assertArrayEquals(bytes("groups: []\n"), read(fs, new Path("swift://keystone/tenant-a/g.yaml")));
            assertEquals(2, fs.authentications());
        }
        assertEquals(2, tokenRequests.size());
    }

    @Test
    void unknownRegionIsExplained() throws IOException {
        try (SwiftFileSystem fs = SwiftFileSystem.create(keystoneConfig().regionName("RegionNine").build())) {
            SwiftException e = assertThrows(SwiftException.class, () -> fs.exists(new Path("swift://keystone/x")));
            assertTrue(e.getMessage().contains("RegionNine"), e.getMessage());
            assertTrue(e.getMessage().contains("RegionOne/public"), e.getMessage());
        }
    }

    @Test
    void rejectedCredentialsNameTheUserButNotThePassword() throws IOException {
        try (SwiftFileSystem fs = SwiftFileSystem.create(keystoneConfig().password("wrong-pa55").build())) {
            SwiftException e = assertThrows(SwiftException.class, () -> fs.exists(new Path("swift://keystone/x")));
            assertEquals(401, e.status());
            assertTrue(e.getMessage().contains("user ruler"), e.getMessage());
            assertFalse(e.getMessage().contains("pa55"), e.getMessage());
        }
    }

    @Test
    void unavailableKeystoneIsRetriedUpToMaxRetries() throws IOException {
        unavailableAnswers.set(2);
        try (SwiftFileSystem fs = SwiftFileSystem.create(keystoneConfig().maxRetries(2).build())) {
            assertTrue(fs.exists(new Path("swift://keystone/tenant-a/g.yaml")));
        }
        unavailableAnswers.set(1);
        try (SwiftFileSystem fs = SwiftFileSystem.create(keystoneConfig().maxRetries(0).build())) {
            SwiftException e = assertThrows(SwiftException.class, () -> fs.exists(new Path("swift://keystone/x")));
            assertEquals(503, e.status());
        }
    }

    @Test
    void applicationCredentialsAndIdsShapeTheRequest() {
        JsonNode byId = new KeystoneV3Authenticator(SwiftConfig.builder().authUrl("https://keystone.example:5000/v3")
                .applicationCredentialId("ac-1").applicationCredentialSecret("s").build()).requestBody();
        assertEquals("[\"application_credential\"]", byId.path("auth").path("identity").path("methods").toString());
        assertEquals("ac-1", byId.path("auth").path("identity").path("application_credential").path("id").asText());
        assertTrue(byId.path("auth").path("scope").isMissingNode(), "application credentials carry their own scope");

        JsonNode byName = new KeystoneV3Authenticator(SwiftConfig.builder().authUrl("https://keystone.example:5000/v3")
                .applicationCredentialName("ruler-ac").applicationCredentialSecret("s").username("ruler")
                .domainName("Default").build()).requestBody();
        JsonNode credential = byName.path("auth").path("identity").path("application_credential");
        assertEquals("ruler-ac", credential.path("name").asText());
        assertEquals("Default", credential.path("user").path("domain").path("name").asText());

        JsonNode ids = new KeystoneV3Authenticator(SwiftConfig.builder().authUrl("https://keystone.example:5000/v3")
                .userId("u-1").password("p").projectId("p-1").build()).requestBody();
        assertEquals("u-1", ids.path("auth").path("identity").path("password").path("user").path("id").asText());
        assertTrue(ids.path("auth").path("identity").path("password").path("user").path("domain").isMissingNode());
        assertEquals("p-1", ids.path("auth").path("scope").path("project").path("id").asText());
    }

    private void answerTokenRequest(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (unavailableAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            tokenRequests.add(request);
            JsonNode user = request.path("auth").path("identity").path("password").path("user");
            JsonNode project = request.path("auth").path("scope").path("project");
            boolean valid = "ruler".equals(user.path("name").asText()) && "Default".equals(user.path("domain").path("name").asText())
                    && "keystone-pa55".equals(user.path("password").asText())
                    && "observability".equals(project.path("name").asText())
                    && "Default".equals(project.path("domain").path("name").asText());
            if (!valid) {
                byte[] body = "{\"error\":{\"code\":401,\"message\":\"The request you have made requires authentication.\",\"title\":\"Unauthorized\"}}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(401, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            String token;
            try {
                token = swift.newToken();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            byte[] body = tokenResponse().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("X-Subject-Token", token);
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** Shaped like Keystone's answer (trimmed): methods, user, project, roles, catalog, expiry. */
    private static String tokenResponse() {
        String real = swift.storageUrl();
        String decoy = real.replace("AUTH_test", "AUTH_decoy");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return """
                {"token": {
                  "methods": ["password"],
                  "user": {"domain": {"id": "default", "name": "Default"}, "id": "9a1c6d", "name": "ruler", "password_expires_at": null},
                  "audit_ids": ["3T2dc1CGQxyJsHdDu1xkcw"],
                  "expires_at": "%s",
                  "issued_at": "%s",
                  "project": {"domain": {"id": "default", "name": "Default"}, "id": "f8d6b1", "name": "observability"},
                  "is_domain": false,
                  "roles": [{"id": "51cc68", "name": "member"}, {"id": "26a1b7", "name": "reader"}],
                  "catalog": [
                    {"endpoints": [
                       {"id": "e1", "interface": "public", "region_id": "RegionOne", "url": "http://127.0.0.1:5000/v3/", "region": "RegionOne"}],
                     "id": "s1", "type": "identity", "name": "keystone"},
                    {"endpoints": [
                       {"id": "e2", "interface": "internal", "region_id": "RegionOne", "url": "%s", "region": "RegionOne"},
                       {"id": "e3", "interface": "admin", "region_id": "RegionOne", "url": "%s", "region": "RegionOne"},
                       {"id": "e4", "interface": "public", "region_id": "RegionOne", "url": "%s", "region": "RegionOne"},
                       {"id": "e5", "interface": "public", "region_id": "RegionTwo", "url": "%s", "region": "RegionTwo"},
                       {"id": "e6", "interface": "internal", "region_id": "RegionTwo", "url": "%s", "region": "RegionTwo"}],
                     "id": "s2", "type": "object-store", "name": "swift"}
                  ]
                }}
                """.formatted(now.plus(1, ChronoUnit.HOURS).toString().replace("Z", ".000000Z"), now.toString(),
                decoy, decoy, real, decoy, real);
    }
}
