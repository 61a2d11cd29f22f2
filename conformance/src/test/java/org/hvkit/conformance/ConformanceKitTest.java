package org.hvkit.conformance;

import static org.junit.jupiter.api.Assertions.*;

import org.hvkit.sched.credit1.internal.Credit1Provider;
import org.hvkit.sched.credit2.internal.Credit2Provider;
import org.junit.jupiter.api.Test;

/** The kit against deliberately broken schedulers (it must fail them, clearly) and the real ones (they must pass). */
class ConformanceKitTest {

    @Test
    void aSchedulerIgnoringHardAffinityFails() {
        ConformanceReport r = ConformanceKit.forProvider(RoundRobin.provider(RoundRobin.Bug.IGNORES_AFFINITY)).seeds(1, 2, 3)
                .properties(Property.HARD_AFFINITY, Property.BOUNDED_WAIT).run();
        System.out.println(r);
        PropertyResult a = r.result(Property.HARD_AFFINITY).orElseThrow();
        assertFalse(a.passed(), r.toString());
        assertNotNull(a.counterExample());
        assertTrue(a.explanation().contains("hard affinity"), a.explanation());
        assertTrue(r.toString().contains("FAIL HARD_AFFINITY"), r.toString());
        assertTrue(a.counterExample().domains().stream().anyMatch(d -> d.cpus() != null), "the counter-example keeps a pinned domain: " + a.counterExample());
    }

    @Test
    void aSchedulerStarvingADomainFailsTheWaitBound() {
        ConformanceReport r = ConformanceKit.forProvider(RoundRobin.provider(RoundRobin.Bug.STARVES_DOMAIN_2)).seeds(1, 2)
                .properties(Property.BOUNDED_WAIT, Property.CHURN).run();
        System.out.println(r);
        PropertyResult w = r.result(Property.BOUNDED_WAIT).orElseThrow();
        assertFalse(w.passed());
        assertTrue(w.explanation().contains("d2v"), w.explanation());
        assertTrue(w.counterExample().size() <= Generators.general(w.seed(), false).size(), "shrunk or as small");
        assertFalse(r.passed());
    }

    @Test
    void aSchedulerLeavingIdlePcpusAsleepIsNotWorkConserving() {
        ConformanceReport r = ConformanceKit.forProvider(RoundRobin.provider(RoundRobin.Bug.NEVER_TICKLES)).seeds(1, 2, 3)
                .properties(Property.WORK_CONSERVING).run();
        System.out.println(r);
        PropertyResult w = r.result(Property.WORK_CONSERVING).orElseThrow();
        assertFalse(w.passed());
        assertTrue(w.explanation().contains("idle") && w.explanation().contains("bound 20 ms"), w.explanation());
    }

    @Test
    void aRoundRobinPassesItsPropertiesButNotWeightsOrCaps() {
        ConformanceReport r = ConformanceKit.forProvider(RoundRobin.provider(RoundRobin.Bug.NONE)).seeds(1, 2, 3).run();
        System.out.println(r);
        for (Property p : new Property[] {Property.BOUNDED_WAIT, Property.HARD_AFFINITY, Property.WORK_CONSERVING, Property.CHURN, Property.DETERMINISM}) {
            assertTrue(r.result(p).orElseThrow().passed(), r.toString());
        }
        assertFalse(r.result(Property.WEIGHTS).orElseThrow().passed(), "weights are ignored");
        assertFalse(r.result(Property.CAPS).orElseThrow().passed(), "caps are ignored");
        assertTrue(r.result(Property.WEIGHTS).orElseThrow().explanation().contains("fair share"));
    }

    @Test
    void fairSharesWaterFill() {
        assertArrayEquals(new double[] {2.0 / 3, 1.0 / 3}, ConformanceKit.fairShares(new int[] {512, 256}, 1), 1e-9);
        assertArrayEquals(new double[] {1.0, 0.5, 0.5}, ConformanceKit.fairShares(new int[] {1024, 256, 256}, 2), 1e-9);
    }

    @Test
    void credit2Conforms() {
        ConformanceReport r = ConformanceKit.forProvider(new Credit2Provider()).run();
        System.out.println(r);
        r.assertPassed();
    }

    /**
     * credit1 (another engineer's module) fails WEIGHTS on seed 1: two hogs of weights 64 and 256
     * pinned to pCPU 0 of a 2-pCPU host share it 50:50 (reported to the lead). Every other
     * property must pass; if WEIGHTS starts passing, this test says so, so the exception is dropped.
     */
    @Test
    void credit1ConformsExceptKnownFindings() {
        java.util.Set<Property> known = java.util.EnumSet.of(Property.WEIGHTS);
        ConformanceReport r = ConformanceKit.forProvider(new Credit1Provider()).run();
        System.out.println(r);
        for (PropertyResult p : r.results()) {
            if (known.contains(p.property())) assertFalse(p.passed(), "credit1 now passes " + p.property() + ": remove it from the known findings");
            else assertTrue(p.passed(), p.toString());
        }
    }
}
