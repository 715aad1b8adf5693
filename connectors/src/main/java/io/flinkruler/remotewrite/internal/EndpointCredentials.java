package io.flinkruler.remotewrite.internal;

import io.flinkruler.rules.RemoteWriteConfig;
import io.flinkruler.rules.RemoteWriteConfig.Authorization;
import io.flinkruler.rules.RemoteWriteConfig.BasicAuth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The Authorization header of an endpoint, built for each request: secrets given as files are read every
 * time (trimmed, as Prometheus does), so that a rotated password or token is used from the next request on.
 * Error messages name the file, never its content.
 */
final class EndpointCredentials {
    private EndpointCredentials() {}

    /** {@code Basic ...}, {@code <type> <credentials>}, or null when the endpoint has no credentials. */
    static String authorizationHeader(RemoteWriteConfig endpoint) throws IOException {
        BasicAuth basic = endpoint.basicAuth();
        if (basic != null) {
            String user = basic.usernameFile() != null ? read(basic.usernameFile(), "basic_auth.username_file") : basic.username();
            String password = basic.passwordFile() != null ? read(basic.passwordFile(), "basic_auth.password_file")
                    : basic.password() == null ? "" : basic.password();
            String pair = (user == null ? "" : user) + ":" + password;
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
        Authorization auth = endpoint.authorization();
        if (auth != null) {
            String credentials = auth.credentialsFile() != null ? read(auth.credentialsFile(), "authorization.credentials_file")
                    : auth.credentials() == null ? "" : auth.credentials();
            return auth.type() + " " + credentials;
        }
        return null;
    }

    private static String read(String file, String field) throws IOException {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IOException("cannot read " + field + " " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
