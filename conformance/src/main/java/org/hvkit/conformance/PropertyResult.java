package org.hvkit.conformance;

/**
 * The outcome of one property.
 *
 * @param property       the property
 * @param passed         whether every workload tried satisfied it
 * @param workloads      how many workloads were tried
 * @param seed           the seed of the failing workload (or -1)
 * @param counterExample the smallest failing workload found by shrinking, or null when it passed
 * @param explanation    what went wrong on the counter-example, in words; or a summary of what was checked
 */
public record PropertyResult(Property property, boolean passed, int workloads, long seed, Scenario counterExample, String explanation) {
    @Override
    public String toString() {
        if (passed) return "PASS " + property + " (" + property.title() + "): " + workloads + " workloads; " + explanation;
        return "FAIL " + property + " (" + property.title() + ") on seed " + seed + ":\n  " + explanation.replace("\n", "\n  ")
                + "\n  smallest counter-example:\n    " + counterExample.toString().replace("\n", "\n  ");
    }
}
