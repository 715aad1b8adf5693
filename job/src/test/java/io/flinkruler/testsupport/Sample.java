package io.flinkruler.testsupport;

/** One raw or computed sample of a series: timestamp in epoch milliseconds and value. */
public record Sample(long timestampMs, double value) {}
