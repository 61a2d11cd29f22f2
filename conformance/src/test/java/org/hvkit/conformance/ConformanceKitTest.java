package org.hvkit.conformance;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

import org.hvkit.sched.credit1.internal.Credit1Provider;
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
    void aSchedulerWithoutWeightsIsNotChurnedOnThem() {
        ConformanceReport r = ConformanceKit.forProvider(RoundRobin.provider(RoundRobin.Bug.NONE, Map.of())).seeds(1, 2, 3)
                .properties(Property.CHURN).run();
        System.out.println(r);
        assertTrue(r.result(Property.CHURN).orElseThrow().passed(), "no 'set weight' refused by the core: " + r);
    }

    @Test
    void aRoundRobinPassesItsPropertiesButNotWeightsOrCaps() {
        ConformanceReport r = ConformanceKit.forProvider(RoundRobin.provider(RoundRobin.Bug.NONE)).seeds(1, 2, 3).run();
        System.out.println(r);
        for (Property p : new Property[] {Property.BOUNDED_WAIT, Property.HARD_AFFINITY, Property.WORK_CONSERVING, Property.CHURN, Property.DETERMINISM}) {
            assertTrue(r.result(p).orElseThrow().passed(), r.toString());
        }
        assertFalse(r.result(Property.WEIGHTS).orElseThrow().passed(), "weights are ignored");
        assertFalse(r.result(Property.WEIGHTS_PINNED).orElseThrow().passed(), "weights are ignored");
        assertFalse(r.result(Property.CAPS).orElseThrow().passed(), "caps are ignored");
        assertTrue(r.result(Property.WEIGHTS).orElseThrow().explanation().contains("fair share"));
    }

    @Test
    void fairSharesWaterFill() {
        assertArrayEquals(new double[] {2.0 / 3, 1.0 / 3}, ConformanceKit.fairShares(new int[] {512, 256}, 1), 1e-9);
        assertArrayEquals(new double[] {1.0, 0.5, 0.5}, ConformanceKit.fairShares(new int[] {1024, 256, 256}, 2), 1e-9);
    }

    @Test
    void credit2ConformsToEverythingItClaims() {
        ConformanceReport r = XenClaims.credit2().run();
        System.out.println(r);
        r.assertPassed();
        assertTrue(r.result(Property.WEIGHTS).orElseThrow().passed());
        assertTrue(r.result(Property.WEIGHTS_PINNED).orElseThrow().passed());
        assertStillFails(r, Property.WEIGHTS_WIDE);
    }

    /** credit1's weight accuracy is Xen's: see {@link XenClaims}. Everything else it must pass. */
    @Test
    void credit1ConformsToEverythingItClaims() {
        ConformanceReport r = XenClaims.credit1().run();
        System.out.println(r);
        r.assertPassed();
        for (Property p : new Property[] {Property.WEIGHTS, Property.WEIGHTS_PINNED, Property.WEIGHTS_WIDE}) assertStillFails(r, p);
        assertTrue(r.toString().contains("NOT CLAIMED WEIGHTS_PINNED"), r.toString());
        assertTrue(r.result(Property.CAPS).orElseThrow().passed());
    }

    private static void assertStillFails(ConformanceReport r, Property p) {
        PropertyResult x = r.result(p).orElseThrow();
        assertFalse(x.claimed());
        assertFalse(x.passed(), r.scheduler() + " now passes " + p + ": drop its notClaimed declaration in XenClaims");
    }

    @Test
    void anUnclaimedPropertyIsReportedButDoesNotFail() {
        ConformanceReport r = ConformanceKit.forProvider(RoundRobin.provider(RoundRobin.Bug.NONE)).seeds(1)
                .properties(Property.WEIGHTS, Property.DETERMINISM).notClaimed(Property.WEIGHTS, "round robin").run();
        assertTrue(r.passed(), r.toString());
        assertFalse(r.result(Property.WEIGHTS).orElseThrow().passed());
        assertThrows(IllegalArgumentException.class, () -> ConformanceKit.forProvider(new Credit1Provider()).notClaimed(Property.CAPS, " "));
    }
}
