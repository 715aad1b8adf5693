package io.flinkruler.swift;

import java.io.IOException;

/** Obtains a storage URL and token for the configured account. */
interface SwiftAuthenticator {
    SwiftSession authenticate(SwiftHttp http) throws IOException;

    static SwiftAuthenticator forConfig(SwiftConfig config) {
        return config.authVersion() == 1 ? new TempAuthAuthenticator(config) : new KeystoneV3Authenticator(config);
    }
}
