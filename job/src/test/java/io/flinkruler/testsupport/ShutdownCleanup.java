package io.flinkruler.testsupport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes what a harness started when the JVM exits without the test closing it (a crash, a kill of Surefire's fork,
 * a forgotten try-with-resources), so no server outlives the test run.
 */
final class ShutdownCleanup {
    private static final Set<AutoCloseable> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ShutdownCleanup::closeAll, "testsupport-shutdown-cleanup"));
    }

    private ShutdownCleanup() {}

    static void register(AutoCloseable resource) { OPEN.add(resource); }

    static void unregister(AutoCloseable resource) { OPEN.remove(resource); }

    private static void closeAll() {
        for (AutoCloseable c : OPEN) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("testsupport: cleanup of " + c + " failed: " + e);
            }
        }
    }
}
