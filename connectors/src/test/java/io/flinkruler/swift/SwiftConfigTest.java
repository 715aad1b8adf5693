package io.flinkruler.swift;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwiftConfigTest {
    /** A Mimir/GEM {@code swift:} block as YAML would hand it over (snake_case, numbers as numbers). */
    @Test
    void readsAMimirStyleBlock() {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("auth_version", 3);
        block.put("auth_url", "https://keystone.example:5000/v3/");
        block.put("username", "ruler");
        block.put("user_domain_name", "Default");
        block.put("password", "hunter2-secret");
        block.put("project_name", "observability");
        block.put("project_domain_name", "Default");
        block.put("region_name", "RegionOne");
        block.put("container_name", "rules");
        block.put("internal", false);
        block.put("max_retries", 5);
        block.put("connect_timeout", "7s");
        block.put("request_timeout", "1m30s");

        SwiftConfig config = SwiftConfig.fromMap(block);
        assertEquals(3, config.authVersion());
        assertEquals("https://keystone.example:5000/v3", config.authUrl());
        assertEquals("Default", config.effectiveUserDomainName());
        assertEquals("Default", config.effectiveProjectDomainName());
        assertEquals("rules", config.containerName());
        assertEquals(5, config.maxRetries());
        assertEquals(Duration.ofSeconds(7), config.connectTimeout());
        assertEquals(Duration.ofSeconds(90), config.requestTimeout());
        assertEquals(10_000, config.listingPageSize());
        assertFalse(config.toString().contains("hunter2"), config.toString());
        assertTrue(config.toString().contains("password=<redacted>"), config.toString());
    }

    @Test
    void acceptsKebabCaseAndThanosAliases() {
        SwiftConfig config = SwiftConfig.fromMap(Map.of("auth-url", "http://127.0.0.1:8080/auth/v1.0", "username", "test:tester",
                "password", "testing", "retries", "0", "timeout", "250ms", "listing-page-size", "2",
                "large_object_chunk_size", "1073741824"));
        assertEquals(1, config.authVersion(), "no /v3 in the URL: TempAuth");
        assertEquals(0, config.maxRetries());
        assertEquals(Duration.ofMillis(250), config.requestTimeout());
        assertEquals(2, config.listingPageSize());
        assertNull(config.containerName());
    }

    @Test
    void rejectsUnknownKeysAndBadValues() {
        Map<String, String> base = Map.of("auth_url", "http://h/auth/v1.0", "username", "a:b", "password", "k");
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> SwiftConfig.fromMap(with(base, "pasword", "x")));
        assertTrue(typo.getMessage().contains("pasword"), typo.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SwiftConfig.fromMap(with(base, "connect_timeout", "soon")));
        assertThrows(IllegalArgumentException.class, () -> SwiftConfig.fromMap(with(base, "internal", "yes")));
        assertThrows(IllegalArgumentException.class, () -> SwiftConfig.fromMap(with(base, "listing_page_size", "10001")));
        IllegalArgumentException v2 = assertThrows(IllegalArgumentException.class,
                () -> SwiftConfig.fromMap(Map.of("auth_url", "http://h:5000/v2.0", "username", "u", "password", "p")));
        assertTrue(v2.getMessage().contains("auth_version 2"), v2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SwiftConfig.fromMap(Map.of("username", "a:b", "password", "k")));
    }

    @Test
    void checksThatKeystoneGetsEnoughToIdentifyUserAndProject() {
        SwiftConfig.Builder keystone = SwiftConfig.builder().authUrl("https://k/v3").username("u").password("p");
        IllegalArgumentException noDomain = assertThrows(IllegalArgumentException.class, keystone::build);
        assertTrue(noDomain.getMessage().contains("user_domain_name"), noDomain.getMessage());
        // domain_name serves as user and project domain when the specific ones are unset
        SwiftConfig shared = keystone.domainName("Default").projectName("proj").build();
        assertEquals("Default", shared.effectiveUserDomainName());
        assertEquals("Default", shared.effectiveProjectDomainName());
        assertThrows(IllegalArgumentException.class,
                () -> SwiftConfig.builder().authUrl("https://k/v3").username("u").userDomainName("D").password("p").projectName("proj").build());
        SwiftConfig.builder().authUrl("https://k/v3").userId("id").password("p").projectId("pid").build();
        assertThrows(IllegalArgumentException.class,
                () -> SwiftConfig.builder().authUrl("https://k/v3").applicationCredentialSecret("s").build());
        SwiftConfig appCredential = SwiftConfig.builder().authUrl("https://k/v3").applicationCredentialId("ac")
                .applicationCredentialSecret("very-secret").build();
        assertFalse(appCredential.toString().contains("very-secret"), appCredential.toString());
    }

    @Test
    void parsesGoStyleDurations() {
        assertEquals(Duration.ofMinutes(90), SwiftConfig.parseDuration("k", "1h30m"));
        assertEquals(Duration.ofMillis(1500), SwiftConfig.parseDuration("k", "1.5s"));
        assertEquals(Duration.ofSeconds(12), SwiftConfig.parseDuration("k", "12"));
        assertThrows(IllegalArgumentException.class, () -> SwiftConfig.parseDuration("k", "1x"));
        assertThrows(IllegalArgumentException.class, () -> SwiftConfig.parseDuration("k", "s"));
        assertThrows(IllegalArgumentException.class, () -> SwiftConfig.parseDuration("k", "5m "));
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
