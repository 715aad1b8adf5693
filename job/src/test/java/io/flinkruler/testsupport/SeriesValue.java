package io.flinkruler.testsupport;

import io.flinkruler.model.Labels;

/** One element of an instant vector (labels include {@code __name__} where the result has one). */
public record SeriesValue(Labels labels, double value) {}
