package org.hvkit.scenario.internal;

import java.util.List;
import java.util.Map;

/** Everything one run (one scenario variant) measured; written to JSON as is. */
public record RunResult(
        String scenario,
        String variant,
        Map<String, String> schedulers,
        long seed,
        String topology,
        int pcpus,
        int domainCount,
        int vcpuCount,
        double measuredSeconds,
        double warmupSeconds,
        double wallSeconds,
        long traceEvents,
        double traceEventsPerWallSecond,
        Overall overall,
        List<Row> groups,
        List<Row> domains,
        List<Series> shareSeries,
        Map<String, double[][]> latencyCdf,
        List<String> warnings) {

    /** Per domain, or per group of domains (then shares are means per domain). */
    public record Row(
            String name,
            String group,
            int domains,
            int vcpus,
            int weight,
            int cap,
            double demand,
            /** pCPUs received, mean over the measured time */
            double share,
            /** weighted max-min fair share, pCPUs */
            double fair,
            /** share / fair (NaN when fair is 0) */
            double ratio,
            long wakeups,
            double latMeanUs, double latP50Us, double latP90Us, double latP99Us, double latP999Us, double latMaxUs,
            double cyclesPerS,
            double contextSwitchesPerS,
            double preemptionsPerS,
            double yieldsPerS,
            double migrationsPerS,
            double crossSocketMigrationsPerS,
            double shareErrMean,
            double shareErrMax,
            Map<String, CapError> capError) {
    }

    /** ALERT: (measured - cap) / cap over windows of one length. */
    public record CapError(int windows, double meanAbs, double p99Abs, double min, double max) {
    }

    public record Overall(
            double jainIndex,
            double shareErrMean,
            double shareErrP99,
            long wakeups,
            double latP50Us, double latP90Us, double latP99Us, double latP999Us, double latMaxUs,
            double contextSwitchesPerS,
            double contextSwitchesPerPcpuPerS,
            double migrationsPerS,
            double utilisation) {
    }

    /** Share (pCPUs) per window of one domain or group; {@code fair} is its fair share then. */
    public record Series(String name, double windowSeconds, double[] share, double[] fair) {
    }
}
