package io.flinkruler.swift;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real one-node OpenStack Swift (Debian's packages, TempAuth) started by {@code scripts/start-swift.sh} on free
 * ports in a temporary directory, once per test JVM, and stopped (its 5 pids killed) when the run ends. Test
 * classes get it as a parameter of a static {@code @BeforeAll} method through this extension. Without the swift
 * binaries the tests fail on purpose: {@code scripts/install-test-deps.sh} installs them.
 */
public final class SwiftServer implements ParameterResolver {
    public static final String USER = "test:tester";
    public static final String KEY = "testing";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Parameter resolution hands out the one shared {@link Instance}. */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Instance.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(SwiftServer.class))
                .getOrComputeIfAbsent(Instance.class, key -> Instance.start(), Instance.class);
    }

    /** The running server. */
    public static final class Instance implements ExtensionContext.Store.CloseableResource {
        private final int port;
        private final Path dataDir;
        private final long startupMillis;

        private Instance(int port, Path dataDir, long startupMillis) {
            this.port = port;
            this.dataDir = dataDir;
            this.startupMillis = startupMillis;
        }

        static Instance start() {
            for (String binary : List.of("swift-proxy-server", "swift-account-server", "swift-container-server",
                    "swift-object-server", "swift-ring-builder", "memcached")) {
                if (!onPath(binary)) {
                    throw new IllegalStateException("OpenStack Swift is not installed: '" + binary + "' is not on PATH. "
                            + "Run scripts/install-test-deps.sh (Debian packages swift swift-proxy swift-account "
                            + "swift-container swift-object memcached).");
                }
            }
            Path script = findScript();
            try {
                Path dataDir = Files.createTempDirectory("flink-ruler-swift");
                int port = freePortRange(5);
                long started = System.nanoTime();
                Process process = new ProcessBuilder("bash", script.toString(), Integer.toString(port), dataDir.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dataDir.resolve("start.out").toFile())
                        .start();
                if (!process.waitFor(180, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    killPids(dataDir);
                    throw new IllegalStateException("start-swift.sh did not finish within 180 s; see " + dataDir);
                }
                String output = Files.readString(dataDir.resolve("start.out"));
                if (process.exitValue() != 0) {
                    killPids(dataDir);
                    throw new IllegalStateException("start-swift.sh failed (exit " + process.exitValue() + "):\n" + output);
                }
                long millis = (System.nanoTime() - started) / 1_000_000;
                System.out.println("[swift] " + output.strip() + " (started in " + millis + " ms)");
                // backstop for a JVM that ends without JUnit closing the store (killing a gone pid is a no-op)
                Runtime.getRuntime().addShutdownHook(new Thread(() -> killPids(dataDir)));
                return new Instance(port, dataDir, millis);
            } catch (IOException e) {
                throw new IllegalStateException("could not start Swift: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting Swift", e);
            }
        }

        public String authUrl() {
            return "http://127.0.0.1:" + port + "/auth/v1.0";
        }

        public String storageUrl() {
            return "http://127.0.0.1:" + port + "/v1/AUTH_test";
        }

        public long startupMillis() {
            return startupMillis;
        }

        /** TempAuth settings for the test account. */
        public SwiftConfig.Builder tempAuthConfig() {
            return SwiftConfig.builder().authVersion(1).authUrl(authUrl()).username(USER).password(KEY).maxRetries(1);
        }

        /** A fresh TempAuth token for the test account, fetched outside the code under test. */
        public String newToken() throws IOException, InterruptedException {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(authUrl()))
                    .header("X-Auth-User", USER).header("X-Auth-Key", KEY).GET().build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) throw new IOException("TempAuth answered " + response.statusCode());
            return response.headers().firstValue("X-Auth-Token").orElseThrow();
        }

        /** Status of a raw request with the given token (to prove a token is dead or alive). */
        public int statusWithToken(String method, String path, String token) throws IOException, InterruptedException {
            return HTTP.send(HttpRequest.newBuilder(URI.create(storageUrl() + path)).header("X-Auth-Token", token)
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        /**
         * Expires every token at once, as the server sees it: TempAuth keeps tokens only in memcached, so
         * {@code flush_all} makes every outstanding token answer 401.
         */
        public void expireAllTokens() throws IOException {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port + 4)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write("flush_all\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] reply = new byte[4];
                int n = in.readNBytes(reply, 0, 4);
                String text = new String(reply, 0, n, StandardCharsets.US_ASCII);
                if (!text.equals("OK\r\n")) throw new IOException("memcached answered " + text + " to flush_all");
            }
        }

        /** Stops the 5 servers and removes their data (kept only when start-up failed, for its logs). */
        @Override
        public void close() {
            killPids(dataDir);
            try (var paths = Files.walk(dataDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("[swift] could not remove " + dataDir + ": " + e);
            }
        }

        private static void killPids(Path dataDir) {
            Path pidFile = dataDir.resolve("pid");
            List<ProcessHandle> handles = new ArrayList<>();
            try {
                if (!Files.exists(pidFile)) return;
                for (String line : Files.readAllLines(pidFile)) {
                    if (line.isBlank()) continue;
                    ProcessHandle.of(Long.parseLong(line.trim())).ifPresent(handles::add);
                }
            } catch (IOException | NumberFormatException e) {
                System.err.println("[swift] cannot read " + pidFile + ": " + e);
            }
            handles.forEach(ProcessHandle::destroy);
            for (ProcessHandle handle : handles) {
                try {
                    handle.onExit().get(15, TimeUnit.SECONDS);
                } catch (Exception e) {
                    handle.destroyForcibly();
                }
            }
        }

        private static Path findScript() {
            Path dir = Path.of("").toAbsolutePath();
            for (Path d = dir; d != null; d = d.getParent()) {
                Path candidate = d.resolve("scripts").resolve("start-swift.sh");
                if (Files.isRegularFile(candidate)) return candidate;
            }
            throw new IllegalStateException("scripts/start-swift.sh not found above " + dir);
        }

        private static boolean onPath(String binary) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, binary))) return true;
            }
            return false;
        }

        /** A base port whose next {@code count} ports are all free right now. */
        private static int freePortRange(int count) throws IOException {
            for (int attempt = 0; attempt < 200; attempt++) {
                int base = ThreadLocalRandom.current().nextInt(20_000, 60_000);
                boolean free = true;
                for (int p = base; p < base + count && free; p++) {
                    try (ServerSocket socket = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                        socket.setReuseAddress(true);
                    } catch (IOException taken) {
                        free = false;
                    }
                }
                if (free) return base;
            }
            throw new IOException("no range of " + count + " free ports found");
        }
    }
}
