package org.hvkit.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hvkit.api.sched.SchedulerProvider;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * JUnit 5 entry point for plugin authors: extend it in your test sources, return your provider,
 * and every {@link Property} becomes one test. Override {@link #configure} to change seeds or
 * bounds. See {@code conformance/README.md}.
 *
 * <pre>{@code
 * class MySchedulerConformanceTest extends SchedulerConformanceTest {
 *     @Override protected SchedulerProvider provider() { return new MyProvider(); }
 * }
 * }</pre>
 */
public abstract class SchedulerConformanceTest {

    /** A fresh provider of the scheduler under test. */
    protected abstract SchedulerProvider provider();

    /** Adjusts the kit (seeds, bounds, properties); the default changes nothing. */
    protected ConformanceKit configure(ConformanceKit kit) {
        return kit;
    }

    /** The report of the last run, for subclasses that want to look further. */
    protected ConformanceReport lastReport;

    @TestFactory
    Stream<DynamicTest> conformance() {
        ConformanceReport report = configure(ConformanceKit.forProvider(provider())).run();
        lastReport = report;
        System.out.println(report);
        List<DynamicTest> tests = new ArrayList<>();
        for (PropertyResult r : report.results()) {
            tests.add(DynamicTest.dynamicTest(r.property() + ": " + r.property().title(), () -> {
                if (!r.acceptable()) Assertions.fail(r.toString());
            }));
        }
        return tests.stream();
    }
}
