package io.flinkruler.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Ports on 127.0.0.1 that were free a moment ago. Another process may still take one before the server binds it,
 * so the harnesses retry their start on "address already in use".
 */
public final class FreePorts {
    private FreePorts() {}

    public static int one() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** A port p such that p and p + 1 are both free (the Flink scripts use REST_PORT and REST_PORT + 1). */
    public static int pair() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p = one();
            if (p < 65535 && isFree(p) && isFree(p + 1)) return p;
        }
        throw new IllegalStateException("no two adjacent free ports on 127.0.0.1 after 50 attempts");
    }

    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
