package io.flinkruler.storage;

import io.flinkruler.testsupport.FreePorts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** A one-node OpenStack Swift with TempAuth (scripts/start-swift.sh; five ports from PORT). */
final class SwiftStore extends ObjectStore {
    private SwiftStore(Path dataDir, int port, long millis) { super(dataDir, port, millis); }

    static SwiftStore start() {
        Started s = ObjectStore.start("start-swift.sh", "swift", fiveFreePorts());
        return new SwiftStore(s.dataDir(), s.port(), s.millis());
    }

    private static int fiveFreePorts() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p = FreePorts.one();
            boolean free = p < 65530;
            for (int i = 1; i < 5 && free; i++) free = FreePorts.isFree(p + i);
            if (free) return p;
        }
        throw new IllegalStateException("no five adjacent free ports");
    }

    /** start-swift.sh lists its five pids in DATADIR/pid (not a *.pid file of stop-pids.sh). */
    @Override
    public void close() {
        try {
            for (String pid : java.nio.file.Files.readAllLines(dataDir.resolve("pid"))) {
                if (!pid.isBlank()) ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroy);
            }
        } catch (IOException e) {
            System.err.println("swift: cannot read " + dataDir.resolve("pid") + ": " + e);
        }
        super.close();
    }

    @Override
    String type() { return "swift"; }

    @Override
    String storageYaml(String bucket) {
        return """
                    swift:
                      auth_url: http://127.0.0.1:%d/auth/v1.0
                      username: test:tester
                      password: ${SWIFT_PASSWORD}
                      container_name: %s
                """.formatted(port, bucket);
    }

    @Override
    Map<String, String> environment() { return Map.of("SWIFT_PASSWORD", "testing"); }

    /** Containers are made with mkdirs of the container through the filesystem itself. */
    @Override
    void createBucket(String bucket) throws IOException {
        var location = StorageTestSupport.location(this, bucket);
        var fs = io.flinkruler.rulesource.RuleFileSystems.open(location);
        fs.mkdirs(new org.apache.flink.core.fs.Path("swift://" + bucket + "/"));
    }
}
