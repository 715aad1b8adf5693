package io.flinkruler.rulesource;

/** How rule groups are laid out below the storage root. */
public enum RuleStorageLayout {
    /** {@code <root>/<tenant>/<file>.yaml|yml}: Prometheus rule files, a folder per tenant. */
    RULE_FILES,
    /**
     * Mimir's ruler bucket: {@code <root>/rules/<tenant>/<base64url namespace>/<base64url group>}, one
     * protobuf {@code RuleGroupDesc} per object.
     */
    MIMIR
}
