package io.flinkruler.remotewrite;

/**
 * One POST seen by {@link LocalRemoteWriteReceiver}, with the protocol headers it carried. Of basic auth
 * only the user name is kept. {@code payloadDigest} (SHA-256 of the body) tells identical re-sends apart
 * from new requests.
 */
public record ReceivedRequest(String tenant, int status, int seriesCount, int sampleCount, String contentEncoding,
                              String contentType, String protocolVersion, String userAgent, String basicAuthUser,
                              String payloadDigest) {
    public boolean accepted() { return status >= 200 && status < 300; }
}
