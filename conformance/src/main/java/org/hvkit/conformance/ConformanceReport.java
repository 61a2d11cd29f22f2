package org.hvkit.conformance;

import java.util.List;
import java.util.Optional;

/**
 * What the kit found for one scheduler: one result per property checked.
 *
 * @param scheduler the provider's optName
 * @param results   per property, in {@link Property} order
 * @param wallNanos wall time the run took
 */
public record ConformanceReport(String scheduler, List<PropertyResult> results, long wallNanos) {
    public ConformanceReport {
        results = List.copyOf(results);
    }

    /** Whether every claimed property passed (a property the scheduler does not claim never fails the report). */
    public boolean passed() {
        return results.stream().allMatch(PropertyResult::acceptable);
    }

    public Optional<PropertyResult> result(Property p) {
        return results.stream().filter(r -> r.property() == p).findFirst();
    }

    /** Claimed properties that failed. */
    public List<PropertyResult> failures() {
        return results.stream().filter(r -> !r.acceptable()).toList();
    }

    /** Throws an {@link AssertionError} carrying the whole report unless every claimed property passed. */
    public void assertPassed() {
        if (!passed()) throw new AssertionError(toString());
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Scheduler conformance of \"" + scheduler + "\": " + (passed() ? "PASS" : failures().size() + " of " + results.size() + " properties FAIL")
                + String.format(" (%.1f s wall)", wallNanos / 1e9));
        for (PropertyResult r : results) b.append('\n').append(r);
        return b.toString();
    }
}
