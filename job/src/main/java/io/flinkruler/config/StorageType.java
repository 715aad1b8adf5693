package io.flinkruler.config;

import java.util.Locale;

/** Where rule files live ({@code ruler.storage.type}), as GEM/Cortex name the backends. */
public enum StorageType {
    LOCAL, S3, GCS, AZURE, SWIFT;

    public String yamlName() { return name().toLowerCase(Locale.ROOT); }
}
