package io.flinkruler.promql.ast;

public enum ValueType {
    SCALAR("scalar"), VECTOR("instant vector"), MATRIX("range vector"), STRING("string");

    private final String description;

    ValueType(String description) { this.description = description; }

    /** As Prometheus names it in error messages ("instant vector", "range vector", ...). */
    public String description() { return description; }
}
