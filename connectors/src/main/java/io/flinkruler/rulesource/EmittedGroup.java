package io.flinkruler.rulesource;

/** What the rule source last emitted for a group: its content hash and the file it came from. */
public record EmittedGroup(long contentHash, String sourceFile) {}
