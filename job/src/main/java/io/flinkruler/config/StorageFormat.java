package io.flinkruler.config;

import java.util.Locale;

/** {@code ruler.storage.format}: how rule groups are laid out in storage. */
public enum StorageFormat {
    /** {@code <tenant>/<file>.yaml}: Prometheus rule files, a folder per tenant (the default). */
    RULE_FILES("rule_files"),
    /** Mimir's ruler bucket: {@code rules/<tenant>/<base64url namespace>/<base64url group>}, protobuf. */
    MIMIR("mimir");

    private final String yamlName;

    StorageFormat(String yamlName) { this.yamlName = yamlName; }

    public String yamlName() { return yamlName; }

    static StorageFormat fromYaml(String text) {
        for (StorageFormat f : values()) if (f.yamlName.equals(text.toLowerCase(Locale.ROOT))) return f;
        return null;
    }
}
