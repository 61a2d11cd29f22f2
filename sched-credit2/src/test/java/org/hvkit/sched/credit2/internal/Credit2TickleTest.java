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
import org.hvkit.testkit.FakeCore;
import org.hvkit.testkit.FakeCore.FakeVcpu;
import org.junit.jupiter.api.Test;

/**
 * Tickling as current Xen's credit2 does it (runq_tickle, tickle_score, runq_candidate,
 * context_saved), hook by hook on a fake core: one runqueue of a few pCPUs, time moved by hand.
 */
class Credit2TickleTest {
    @Test
    void aVcpuTickledToAnIdlePcpuIsLeftForIt() {
        FakeCore<Credit2Scheduler> c = core(2);
        FakeVcpu a = c.start(vcpu(c), 0, CpuMask.firstN(2));
        c.schedule(0);
        c.advance(5 * MS); // a has burned 5 ms of credit and is past the ratelimit
        c.tickles.clear();
        // b last ran on pCPU 0 (no migration resistance there) and has more credit than a
        FakeVcpu b = c.start(vcpu(c), 0, CpuMask.firstN(2));
        assertEquals(List.of(1), c.tickles, "the idle pCPU 1 is tickled for b");
        // pCPU 0's slice ends before pCPU 1 gets to schedule: b is reserved for pCPU 1
        assertSame(a, c.schedule(0).vcpu());
        assertSame(b, c.schedule(1).vcpu());
        assertEquals(-1, svc(b).tickledCpu, "the reservation ends when b is picked");
    }

    @Test
    void preemptionComparesWithTheRunningVcpusCreditBroughtUpToDate() {
        FakeCore<Credit2Scheduler> c = core(1);
        FakeVcpu a = c.start(vcpu(c), 0, CpuMask.firstN(1));
        c.schedule(0);
        // a's last accounting was at 0 (credit 10 ms); by 9.5 ms it has 0.5 ms left
        c.advance(9_500_000L);
        c.tickles.clear();
        c.start(vcpu(c), 0, CpuMask.firstN(1));
        assertEquals(List.of(0), c.tickles, "the newcomer (10 ms) beats a (0.5 ms once burned)");
        assertEquals(500_000L, svc(a).credit);
    }

    @Test
    void aPreemptedVcpuIsOfferedToAnIdlePcpu() {
        FakeCore<Credit2Scheduler> c = core(2);
        FakeVcpu a = c.start(vcpu(c), 0, CpuMask.firstN(2));
        c.schedule(0);
        c.advance(5 * MS);
        // b may only run on pCPU 0: it preempts a there although pCPU 1 is idle
        FakeVcpu b = c.start(vcpu(c), 0, CpuMask.of(0));
        c.tickles.clear();
        assertSame(b, c.schedule(0).vcpu());
        assertEquals(List.of(1), c.tickles, "a, back in the runqueue, is offered to the idle pCPU 1");
        assertSame(a, c.schedule(1).vcpu());
    }

    @Test
    void aVcpuRunningOutsideItsSoftAffinityMovesWhenAPcpuOfItFreesUp() {
        FakeCore<Credit2Scheduler> c = core(2);
        FakeVcpu other = c.start(vcpu(c), 1, CpuMask.of(1));
        c.schedule(1);
        FakeVcpu a = vcpu(c);
        a.soft = CpuMask.of(1);
        c.start(a, 0, CpuMask.firstN(2));
        assertSame(a, c.schedule(0).vcpu(), "pCPU 1 is busy: a runs on pCPU 0, outside its soft affinity");
        c.block(other);
        c.schedule(1); // pCPU 1 goes idle
        c.advance(2 * MS);
        c.tickles.clear();
        assertEquals(null, c.schedule(0).vcpu(), "a leaves pCPU 0 rather than keep running outside its soft affinity");
        assertEquals(List.of(1), c.tickles);
        assertSame(a, c.schedule(1).vcpu());
    }

    @Test
    void preemptionPrefersAPcpuWhoseVcpuRunsOutsideItsSoftAffinity() {
        FakeCore<Credit2Scheduler> c = core(3);
        FakeVcpu x = c.start(vcpu(c), 0, CpuMask.of(0));
        FakeVcpu y = vcpu(c);
        y.soft = CpuMask.of(0); // runs on pCPU 1, outside its soft affinity
        c.start(y, 1, CpuMask.of(1));
        c.schedule(0);
        c.schedule(1);
        c.advance(5 * MS);
        c.start(vcpu(c), 2, CpuMask.of(2));
        c.schedule(2); // just started: inside the ratelimit, not to be preempted
        c.tickles.clear();
        // x and y have the same credit; the newcomer last ran on pCPU 2
        c.start(vcpu(c), 2, CpuMask.firstN(3));
        assertEquals(svc(x).credit, svc(y).credit);
        assertEquals(List.of(1), c.tickles, "y's pCPU scores CREDIT_INIT more");
        assertTrue(svc(y).credit < Credit2Scheduler.CREDIT_INIT);
    }
}
