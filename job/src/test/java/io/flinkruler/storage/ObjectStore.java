package io.flinkruler.storage;

import io.flinkruler.testsupport.CliResult;
import io.flinkruler.testsupport.Commands;
import io.flinkruler.testsupport.FreePorts;
import io.flinkruler.testsupport.ProjectScripts;
import io.flinkruler.testsupport.WorkDirs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A storage server on 127.0.0.1 started by its {@code scripts/start-*.sh} in a work directory, and what a
 * {@code ruler.storage} block needs to reach a bucket of it. Started once per test JVM through
 * {@link ObjectStores} and stopped ({@code scripts/stop-pids.sh}) when the run ends.
 */
abstract class ObjectStore implements ExtensionContext.Store.CloseableResource {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);

    final Path dataDir;
    final int port;
    final long startupMillis;

    ObjectStore(Path dataDir, int port, long startupMillis) {
        this.dataDir = dataDir;
        this.port = port;
        this.startupMillis = startupMillis;
    }

    /** The storage type as {@code ruler.storage.type} names it. */
    abstract String type();

    /**
     * The keys of {@code ruler.storage} (without {@code type}) for {@code bucket}, as YAML lines indented for a
     * block under {@code storage:} (4 spaces). Secrets are written as {@code ${VAR}} of {@link #environment()}.
     */
    abstract String storageYaml(String bucket);

    /** Environment variables the YAML of {@link #storageYaml} refers to. */
    java.util.Map<String, String> environment() { return java.util.Map.of(); }

    /** Creates an empty bucket (container); a no-op where buckets appear with their first object. */
    abstract void createBucket(String bucket) throws IOException;

    /** The full {@code ruler.storage} block, indented for {@code ruler:}. */
    String storageBlock(String bucket) {
        return "  storage:\n    type: " + type() + "\n" + storageYaml(bucket);
    }

    /** Data folders of the servers: deleted on close (logs and configs stay). */
    private static final java.util.List<String> DATA_FOLDERS = java.util.List.of("blobs", "firebase", "srv");

    @Override
    public void close() {
        Commands.run(Duration.ofSeconds(60), dataDir.resolve("stop.log"), ProjectScripts.command("stop-pids.sh", dataDir.toString()));
        for (String folder : DATA_FOLDERS) WorkDirs.deleteRecursively(dataDir.resolve(folder));
    }

    @Override
    public String toString() {
        return type() + " on 127.0.0.1:" + port + " (" + dataDir + ")";
    }

    /** The port and start time of a server started by {@code script PORT DATADIR}; retries when the port was taken. */
    record Started(Path dataDir, int port, long millis) {}

    static Started start(String script, String name, Integer fixedPort) {
        List<String> failures = new ArrayList<>();
        for (int attempt = 0; attempt < (fixedPort == null ? 3 : 1); attempt++) {
            Path dir = WorkDirs.create(name);
            int port = fixedPort != null ? fixedPort : FreePorts.one();
            long began = System.nanoTime();
            CliResult r = Commands.run(START_TIMEOUT, dir.resolve("start.log"), ProjectScripts.command(script, Integer.toString(port), dir.toString()));
            if (r.succeeded()) return new Started(dir, port, (System.nanoTime() - began) / 1_000_000);
            failures.add(r.output());
            if (!r.output().contains("already in use")) break;
        }
        throw new IllegalStateException(script + " failed (run scripts/install-test-deps.sh first):\n" + String.join("\n---\n", failures));
    }
}
