package io.flinkruler.swift;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keystone v3: {@code POST <auth_url>/auth/tokens} with the password method (user by id, or by name within a
 * domain) scoped to a project (by id, or by name within a domain), or to a domain when no project is set; or the
 * application_credential method (which carries its own scope). The token comes back in {@code X-Subject-Token};
 * the storage URL is the catalog's {@code object-store} endpoint of {@code region_name} (any region when unset)
 * with interface {@code public}, or {@code internal} when {@code internal: true}.
 */
final class KeystoneV3Authenticator implements SwiftAuthenticator {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SwiftConfig config;
    private final URI tokensUri;

    KeystoneV3Authenticator(SwiftConfig config) {
        this.config = config;
        String base = config.authUrl().endsWith("/v3") ? config.authUrl() : config.authUrl() + "/v3";
        this.tokensUri = URI.create(base + "/auth/tokens");
    }

    @Override
    public SwiftSession authenticate(SwiftHttp http) throws IOException {
        byte[] body = JSON.writeValueAsBytes(requestBody());
        SwiftResponse response = http.execute("POST", tokensUri, Map.of("Accept", "application/json"), body,
                "application/json", "Keystone v3 authentication at " + tokensUri);
        if (response.status() == 401 || response.status() == 403) {
            throw new SwiftException("swift: Keystone at " + tokensUri + " rejected the credentials of "
                    + principal() + " (HTTP " + response.status() + ")", response.status());
        }
        if (response.status() != 201 && response.status() != 200) {
            throw new SwiftException("swift: Keystone at " + tokensUri + " answered HTTP " + response.status(), response.status());
        }
        String token = response.header("X-Subject-Token");
        if (token == null || token.isBlank()) {
            throw new SwiftException("swift: Keystone at " + tokensUri + " answered without X-Subject-Token", response.status());
        }
        JsonNode tokenNode = JSON.readTree(response.body()).path("token");
        return new SwiftSession(storageUrl(tokenNode.path("catalog")), token, expiresAt(tokenNode.path("expires_at")));
    }

    ObjectNode requestBody() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode auth = root.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        ArrayNode methods = identity.putArray("methods");
        if (config.applicationCredentialSecret() != null) {
            methods.add("application_credential");
            ObjectNode credential = identity.putObject("application_credential");
            if (present(config.applicationCredentialId())) {
                credential.put("id", config.applicationCredentialId());
            } else {
                credential.put("name", config.applicationCredentialName());
                credential.set("user", user());
            }
            credential.put("secret", config.applicationCredentialSecret());
            return root; // an application credential is bound to its project: no scope allowed
        }
        methods.add("password");
        ObjectNode user = user();
        user.put("password", config.password());
        identity.putObject("password").set("user", user);
        if (present(config.projectId())) {
            auth.putObject("scope").putObject("project").put("id", config.projectId());
        } else if (present(config.projectName())) {
            ObjectNode project = auth.putObject("scope").putObject("project");
            project.put("name", config.projectName());
            project.set("domain", domain(config.effectiveProjectDomainId(), config.effectiveProjectDomainName()));
        } else if (present(config.domainId()) || present(config.domainName())) {
            auth.putObject("scope").set("domain", domain(config.domainId(), config.domainName()));
        }
        return root;
    }

    private ObjectNode user() {
        ObjectNode user = JSON.createObjectNode();
        if (present(config.userId())) {
            user.put("id", config.userId());
        } else {
            user.put("name", config.username());
            user.set("domain", domain(config.effectiveUserDomainId(), config.effectiveUserDomainName()));
        }
        return user;
    }

    private static ObjectNode domain(String id, String name) {
        ObjectNode domain = JSON.createObjectNode();
        if (present(id)) domain.put("id", id);
        else domain.put("name", name);
        return domain;
    }

    private String storageUrl(JsonNode catalog) throws SwiftException {
        String wantedInterface = config.internal() ? "internal" : "public";
        List<String> seen = new ArrayList<>();
        for (JsonNode service : catalog) {
            if (!"object-store".equals(service.path("type").asText())) continue;
            for (JsonNode endpoint : service.path("endpoints")) {
                String region = endpoint.path("region").asText(endpoint.path("region_id").asText(""));
                String iface = endpoint.path("interface").asText("");
                seen.add(region + "/" + iface);
                boolean regionMatches = !present(config.regionName())
                        || config.regionName().equals(endpoint.path("region").asText(null))
                        || config.regionName().equals(endpoint.path("region_id").asText(null));
                if (regionMatches && wantedInterface.equals(iface) && present(endpoint.path("url").asText(null))) {
                    return TempAuthAuthenticator.stripTrailingSlash(endpoint.path("url").asText());
                }
            }
        }
        throw new SwiftException("swift: the Keystone catalog has no object-store endpoint with interface " + wantedInterface
                + (present(config.regionName()) ? " in region " + config.regionName() : "")
                + "; object-store endpoints (region/interface): " + seen, -1);
    }

    private static Instant expiresAt(JsonNode value) {
        if (!value.isTextual()) return null;
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private String principal() {
        if (present(config.applicationCredentialId())) return "application credential " + config.applicationCredentialId();
        if (present(config.applicationCredentialName())) return "application credential " + config.applicationCredentialName();
        return present(config.userId()) ? "user id " + config.userId() : "user " + config.username();
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
