package org.hvkit.sched.credit2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.hvkit.sched.credit2.internal.OneRunqueue.MS;
import static org.hvkit.sched.credit2.internal.OneRunqueue.core;
import static org.hvkit.sched.credit2.internal.OneRunqueue.svc;
import static org.hvkit.sched.credit2.internal.OneRunqueue.vcpu;

import java.util.List;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.sched.Decision;
import org.hvkit.testkit.FakeCore;
import org.hvkit.testkit.FakeCore.FakeVcpu;
import org.junit.jupiter.api.Test;

/**
 * do_schedule as current Xen's csched2_schedule has it, step by step on a fake core (one
 * runqueue, time moved by hand): the preempted vCPU rejoins the runqueue only after the
 * switch, the epoch check looks at the head of the runqueue too, a migrated vCPU is
 * compensated, a ratelimited vCPU gets a slice worked out from credit, and a credit reset
 * charges the vCPUs running elsewhere first.
 */
class Credit2ScheduleTest {
    @Test
    void theSliceAfterAPreemptionDoesNotCountThePreemptedVcpuAsWaiting() {
        FakeCore<Credit2Scheduler> c = core(1);
        FakeVcpu a = c.start(vcpu(c), 0, CpuMask.firstN(1));
        c.schedule(0);
        c.advance(5 * MS); // a: 5 ms of credit left
        FakeVcpu b = c.start(vcpu(c), 0, CpuMask.firstN(1)); // 10 ms
        Decision d = c.schedule(0);
        assertSame(b, d.vcpu());
        // nobody else waits: b may run until its credit is gone (capped at MAX_TIMER), not only until it is level with a
        assertEquals(Credit2Scheduler.MAX_TIMER, d.sliceNs());
        assertTrue(svc(a).queued, "a is back in the runqueue after the switch");
    }

    @Test
    void noNewEpochWhileTheHeadOfTheRunqueueStillHasCredit() {
        FakeCore<Credit2Scheduler> c = core(2);
        FakeVcpu a = c.start(vcpu(c), 0, CpuMask.firstN(2));
        FakeVcpu h = c.start(vcpu(c), 1, CpuMask.firstN(2));
        c.schedule(0);
        c.schedule(1);
        c.advance(9_900_000L);
        c.tickles.clear();
        c.start(vcpu(c), 1, CpuMask.of(1)); // preempts h on pCPU 1
        assertEquals(List.of(1), c.tickles);
        c.schedule(1);
        assertTrue(svc(h).queued);
        assertEquals(100_000L, svc(h).credit);
        c.advance(300_000L);
        // a is at -0.2 ms; h (0.1 ms) last ran on pCPU 1 and is held back by migrate resistance
        assertSame(a, c.schedule(0).vcpu());
        assertEquals(-200_000L, svc(a).credit, "the epoch goes on: h, at the head, has credit");
        assertEquals(100_000L, svc(h).credit);
    }

    @Test
    void aVcpuPickedUpByAnotherPcpuIsCompensatedForTheMove() {
        FakeCore<Credit2Scheduler> c = core(2);
        FakeVcpu a = c.start(vcpu(c), 0, CpuMask.firstN(2));
        c.schedule(0);
        c.advance(5 * MS);
        c.start(vcpu(c), 0, CpuMask.of(0));
        c.schedule(0); // a is preempted and offered to the idle pCPU 1
        assertEquals(5 * MS, svc(a).credit);
        Decision d = c.schedule(1);
        assertSame(a, d.vcpu());
        assertTrue(d.migrated());
        assertEquals(5 * MS + Credit2Scheduler.MIGRATE_COMPENSATION, svc(a).credit);
    }

    @Test
    void aVcpuKeptByTheRatelimitGetsASliceWorkedOutFromCredit() {
        FakeCore<Credit2Scheduler> c = core(1);
        FakeVcpu b = c.start(vcpu(c), 0, CpuMask.firstN(1));
        c.schedule(0);
        c.advance(8 * MS);
        c.block(b); // b leaves with 2 ms of credit
        c.schedule(0);
        FakeVcpu a = c.start(vcpu(c), 0, CpuMask.firstN(1));
        assertSame(a, c.schedule(0).vcpu());
        c.advance(300_000L);
        c.wake(b); // a is inside its ratelimit: not preempted
        Decision d = c.schedule(0);
        assertSame(a, d.vcpu());
        // run until level with b (9.7 - 2 ms), not only to the end of the ratelimit (0.7 ms)
        assertEquals(7_700_000L, d.sliceNs());
    }

    @Test
    void aCreditResetFirstChargesTheVcpusRunningElsewhere() {
        FakeCore<Credit2Scheduler> c = core(2);
        FakeVcpu a = c.start(vcpu(c), 1, CpuMask.of(1));
        FakeVcpu b = c.start(vcpu(c), 0, CpuMask.of(0));
        c.schedule(1);
        c.schedule(0);
        c.advance(10_200_000L);
        assertSame(b, c.schedule(0).vcpu()); // b is at -0.2 ms: a new epoch
        // a ran 10.2 ms on pCPU 1 too: charged (-0.2 ms), then given CREDIT_INIT
        assertEquals(9_800_000L, svc(a).credit);
        assertEquals(9_800_000L, svc(b).credit);
    }

    @Test
    void aYieldingVcpuStillHoldsOffOneFromAnotherPcpuWithoutTheMigrateMargin() {
        FakeCore<Credit2Scheduler> c = core(2);
        FakeVcpu a = c.start(vcpu(c), 0, CpuMask.firstN(2));
        FakeVcpu x = c.start(vcpu(c), 1, CpuMask.firstN(2));
        c.schedule(0);
        c.schedule(1);
        c.advance(3 * MS);
        c.start(vcpu(c), 1, CpuMask.of(1));
        c.schedule(1); // x, preempted on pCPU 1, waits with the same credit as a
        assertTrue(svc(x).queued);
        c.sched.yield(a);
        // as in Xen, the yield lets anyone from this pCPU go first, but x last ran on pCPU 1 and has no margin over a
        assertSame(a, c.schedule(0).vcpu());
        assertTrue(svc(x).queued);
    }
}
