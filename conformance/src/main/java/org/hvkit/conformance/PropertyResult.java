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
 * @param notClaimed     why the scheduler does not claim this property (it was checked and reported,
 *                       but does not fail the report), or null when it is claimed
 */
public record PropertyResult(Property property, boolean passed, int workloads, long seed, Scenario counterExample, String explanation, String notClaimed) {
    public PropertyResult(Property property, boolean passed, int workloads, long seed, Scenario counterExample, String explanation) {
        this(property, passed, workloads, seed, counterExample, explanation, null);
    }

    /** Whether the scheduler claims this property. */
    public boolean claimed() {
        return notClaimed == null;
    }

    /** Passed, or not claimed. */
    public boolean acceptable() {
        return passed || notClaimed != null;
    }

    PropertyResult unclaimed(String reason) {
        return new PropertyResult(property, passed, workloads, seed, counterExample, explanation, reason);
    }

    @Override
    public String toString() {
        if (notClaimed != null) {
            return "NOT CLAIMED " + property + " (" + property.title() + "): " + notClaimed + "; checked anyway: "
                    + (passed ? "passes (" + explanation + ")" : "fails on seed " + seed + ": " + explanation.lines().findFirst().orElse(""));
        }
        if (passed) return "PASS " + property + " (" + property.title() + "): " + workloads + " workloads; " + explanation;
        return "FAIL " + property + " (" + property.title() + ") on seed " + seed + ":\n  " + explanation.replace("\n", "\n  ")
                + "\n  smallest counter-example:\n    " + counterExample.toString().replace("\n", "\n  ");
    }
}
