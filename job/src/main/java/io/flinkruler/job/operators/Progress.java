package io.flinkruler.job.operators;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Periodic one-line progress reports of an operator instance (at most one line per period). */
final class Progress {
    private static final Logger LOG = LoggerFactory.getLogger("io.flinkruler.progress");
    private static final long PERIOD_MS = 10_000;

    private final String who;
    private long samples;
    private long evaluations;
    private long outputSamples;
    private long lastReportMs = System.currentTimeMillis();
    private long samplesAtLastReport;

    Progress(String who) { this.who = who; }

    void samples(long n) {
        samples += n;
        maybeReport();
    }

    void evaluation() {
        evaluations++;
        maybeReport();
    }

    void output(long n) {
        outputSamples += n;
        maybeReport();
    }

    private void maybeReport() {
        long now = System.currentTimeMillis();
        if (now - lastReportMs < PERIOD_MS) return;
        long rate = (samples - samplesAtLastReport) * 1000 / Math.max(1, now - lastReportMs);
        StringBuilder line = new StringBuilder(who).append(": ");
        if (samples > 0) line.append("samples in ").append(samples).append(" (").append(rate).append("/s), ");
        line.append("evaluations ").append(evaluations);
        if (outputSamples > 0) line.append(", recorded samples ").append(outputSamples);
        LOG.info(line.toString());
        lastReportMs = now;
        samplesAtLastReport = samples;
    }
}
