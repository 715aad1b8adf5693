package io.flinkruler.rulesource;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where rule storage is and how to reach it: the root URI ({@code file:///rules}, {@code s3://bucket/prefix},
 * {@code gs://...}, {@code wasbs://container@account.blob.core.windows.net/prefix}, {@code swift://container/prefix}),
 * the Flink filesystem configuration keys that reach it ({@code s3.endpoint}, {@code swift.auth_url}, ...) and
 * secrets that the filesystem wants as a file ({@code gs.auth.service.account.json.keyfile}: key -> file content).
 *
 * <p>{@link #toString()} shows the root and the key names only: values may be credentials.
 */
public record RuleStorageLocation(String root, Map<String, String> flinkConfig, Map<String, String> secretFiles,
                                  RuleStorageLayout layout) implements Serializable {
    public RuleStorageLocation {
        Objects.requireNonNull(root, "root");
        if (root.isEmpty()) throw new IllegalArgumentException("rule storage root is required");
        flinkConfig = java.util.Collections.unmodifiableMap(new TreeMap<>(flinkConfig));
        secretFiles = java.util.Collections.unmodifiableMap(new TreeMap<>(secretFiles));
        Objects.requireNonNull(layout, "layout");
    }

    /** A root reached through Flink's configured filesystems, in the Prometheus rule-file layout. */
    public static RuleStorageLocation of(String root) {
        return new RuleStorageLocation(root, Map.of(), Map.of(), RuleStorageLayout.RULE_FILES);
    }

    public RuleStorageLocation withLayout(RuleStorageLayout newLayout) {
        return new RuleStorageLocation(root, flinkConfig, secretFiles, newLayout);
    }

    /** The URI scheme of the root ({@code file} when it has none). */
    public String scheme() {
        int colon = root.indexOf(':');
        return colon > 0 && root.indexOf('/') > colon ? root.substring(0, colon) : "file";
    }

    @Override
    public String toString() {
        return root + (flinkConfig.isEmpty() ? "" : " with " + flinkConfig.keySet())
                + (secretFiles.isEmpty() ? "" : " and secret files " + secretFiles.keySet())
                + (layout == RuleStorageLayout.RULE_FILES ? "" : " (" + layout.name().toLowerCase(java.util.Locale.ROOT) + " layout)");
    }
}
