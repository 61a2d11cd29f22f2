package org.hvkit.sched.credit1.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.sched.Decision;
import org.hvkit.testkit.FakeCore.FakeDomain;
import org.hvkit.testkit.FakeCore.FakeVcpu;
import org.junit.jupiter.api.Test;

/** The scheduler's hooks against a fake core: burn, BOOST, tickles, ratelimit, yield, parking, stealing, pick_cpu. */
class SchedulerHooksTest {
    private static final long MS = 1_000_000L;
    private static final CpuMask ANY = CpuMask.firstN(64);

    @Test
    void providerIdentity() {
        Credit1Provider p = new Credit1Provider();
        assertEquals("SMP Credit Scheduler", p.name());
        assertEquals("credit", p.optName());
        assertEquals(5, p.schedulerId());
        assertEquals(Map.of("tslice_ms", 30L, "ratelimit_us", 1000L), p.defaultPoolParams());
        assertEquals(Map.of("weight", 256L, "cap", 0L), p.defaultDomainParams());
    }

    @Test
    void burnChargesTenCreditsPerMillisecondAndKeepsTheResidual() {
        FakeCore c = new FakeCore(1);
        FakeVcpu v = c.start(c.domain(256, 0, 1).v(0), 0, ANY);
        for (int i = 0; i < 10; i++) {
            c.schedule(0);
            c.advance(150_000); // 1.5 credits each time
            c.block(v);
            c.schedule(0);
            v.runnable = true;
            c.sched.wake(v);
        }
        assertEquals(-15, c.svc(v).credit, "10 x 0.15 ms = 15 credits, none lost to rounding");
    }

    @Test
    void idleDecisionHasNoSliceAndABlockedCurrentIsNotChosen() {
        FakeCore c = new FakeCore(1);
        FakeVcpu v = c.start(c.domain(256, 0, 1).v(0), 0, ANY);
        Decision d = c.schedule(0);
        assertSame(v, d.vcpu());
        assertEquals(30 * MS, d.sliceNs());
        c.block(v);
        assertTrue(c.tickles.contains(0), "sleep of a running vCPU tickles its pCPU");
        assertSame(Decision.IDLE, c.schedule(0));
        assertTrue(CpuBits.get(c.sched.idlers, 0));
    }

    @Test
    void wakeWithCreditBoostsAndPreemptsAHog() {
        FakeCore c = new FakeCore(1);
        FakeVcpu hog = c.start(c.domain(256, 0, 1).v(0), 0, ANY);
        c.schedule(0);
        c.advance(5 * MS);
        FakeVcpu io = c.start(c.domain(256, 0, 1).v(0), 0, ANY);
        assertEquals(CsVcpu.PRI_BOOST, c.svc(io).pri);
        assertTrue(c.tickles.contains(0));
        assertSame(io, c.schedule(0).vcpu(), "BOOST beats the UNDER hog");
        assertFalse(hog.running);
        // the first tick that finds it running ends the BOOST
        c.advance(5 * MS);
        assertEquals(CsVcpu.PRI_UNDER, c.svc(io).pri);
    }

    @Test
    void aVcpuWithoutCreditIsNotBoosted() {
        FakeCore c = new FakeCore(1);
        FakeVcpu v = c.domain(256, 0, 1).v(0);
        v.hard = ANY;
        c.sched.insertVcpu(v);
        c.svc(v).pri = CsVcpu.PRI_OVER;
        v.runnable = true;
        c.sched.wake(v);
        assertEquals(CsVcpu.PRI_OVER, c.svc(v).pri);
    }

    @Test
    void ratelimitKeepsAFreshVcpuForTheRatelimitButNotAYielder() {
        FakeCore c = new FakeCore(1);
        FakeVcpu a = c.start(c.domain(256, 0, 1).v(0), 0, ANY);
        c.schedule(0);
        c.advance(200_000);
        FakeVcpu b = c.start(c.domain(256, 0, 1).v(0), 0, ANY); // BOOST, tickles
        Decision d = c.schedule(0);
        assertSame(a, d.vcpu(), "ran 0.2 ms < 1 ms ratelimit");
        assertEquals(MS, d.sliceNs(), "4.2: the slice is the ratelimit");
        c.sched.yield(a);
        assertSame(b, c.schedule(0).vcpu(), "a yield gives the pCPU up at once");
    }

    @Test
    void yieldRequeuesBehindTheFirstLowerPriorityVcpu() {
        FakeCore c = new FakeCore(1);
        FakeVcpu y = c.start(c.domain(256, 0, 1).v(0), 0, ANY);
        c.schedule(0);
        FakeVcpu over = c.domain(256, 0, 1).v(0);
        over.hard = ANY;
        c.sched.insertVcpu(over);
        c.svc(over).pri = CsVcpu.PRI_OVER;
        over.runnable = true;
        c.sched.wake(over);
        c.advance(2 * MS);
        c.sched.yield(y);
        Decision d = c.schedule(0);
        assertSame(over, d.vcpu(), "the yielder (UNDER) let the OVER vCPU behind it run");
        assertFalse(c.svc(y).yielding, "cleared when scheduled out");
    }

    @Test
    void capParksARunningVcpuAndUnparksItWithoutBoost() {
        FakeCore c = new FakeCore(1);
        FakeDomain d = c.domain(256, 10, 1);
        FakeVcpu v = c.start(d.v(0), 0, ANY);
        c.schedule(0);
        c.advance(30 * MS); // ticks at 10/20/30 ms put it on the active list; accounting at 30 ms
        c.advance(30 * MS);
        CsVcpu s = c.svc(v);
        assertTrue(s.parked, "ran 60 ms against a 3 ms per 30 ms cap: credit " + s.credit);
        assertTrue(c.tickles.contains(0), "its pCPU is tickled to deschedule it");
        assertSame(Decision.IDLE, c.schedule(0), "a parked vCPU is not chosen");
        assertNull(s.rq, "nor queued");
        c.tickles.clear();
        for (int i = 0; i < 200 && s.parked; i++) c.advance(30 * MS);
        assertFalse(s.parked, "credit recovered");
        assertEquals(CsVcpu.PRI_UNDER, s.pri, "no BOOST on the unpark wake");
        assertNotNull(s.rq);
        assertTrue(c.tickles.contains(0));
        assertSame(v, c.schedule(0).vcpu());
    }

    @Test
    void anIdlePcpuStealsOnlyWhatItsAffinityAllows() {
        FakeCore c = new FakeCore(2);
        FakeVcpu hog = c.start(c.domain(256, 0, 1).v(0), 0, CpuMask.of(0, 1));
        c.schedule(0);
        FakeVcpu pinned = c.start(c.domain(256, 0, 1).v(0), 0, CpuMask.of(0));
        FakeVcpu free = c.start(c.domain(256, 0, 1).v(0), 0, CpuMask.of(0, 1));
        assertTrue(c.tickles.contains(1), "a wake beside a busy pCPU tickles an idle one in its affinity");
        Decision d = c.schedule(1);
        assertSame(free, d.vcpu(), "the pinned vCPU ahead of it may not run on cpu 1");
        assertTrue(d.migrated());
        assertEquals(1, free.processor);
        assertSame(c.svc(pinned), c.sched.pcpus[0].rq.first());
        c.block(free);
        assertSame(Decision.IDLE, c.schedule(1), "nothing else may come");
        assertTrue(hog.running);
    }

    @Test
    void aPcpuWithOnlyOverWorkStealsCreditedWorkButNotOverWork() {
        FakeCore c = new FakeCore(2);
        FakeVcpu a = c.start(c.domain(256, 0, 1).v(0), 0, ANY);
        FakeVcpu b = c.start(c.domain(256, 0, 1).v(0), 1, ANY);
        c.schedule(0);
        c.schedule(1);
        FakeVcpu over = c.domain(256, 0, 1).v(0);
        over.hard = ANY;
        c.sched.insertVcpu(over);
        c.svc(over).pri = CsVcpu.PRI_OVER;
        over.runnable = true;
        c.sched.wake(over); // queued on cpu 0 at OVER
        FakeVcpu under = c.start(c.domain(256, 0, 1).v(0), 0, ANY);
        c.svc(under).pri = CsVcpu.PRI_UNDER; // queued UNDER on cpu 0 (not boosted, for the test)
        c.sched.pcpus[0].rq.remove(c.svc(under));
        c.sched.pcpus[0].rq.insert(c.svc(under));
        c.svc(b).pri = CsVcpu.PRI_OVER;
        c.advance(2 * MS);
        Decision d = c.schedule(1); // b is OVER, alone: look for credited work
        assertSame(under, d.vcpu());
        assertTrue(d.migrated());
        assertTrue(a.running);
        assertSame(c.svc(over), c.sched.pcpus[0].rq.first(), "OVER work is not worth stealing for OVER");
    }

    @Test
    void pickCpuSpreadsToTheIdlerSocketAndHonoursAffinity() {
        FakeCore c = new FakeCore(HostTopology.of(2, 2, 2, 1, 1L << 30), Map.of());
        // cpus 0-3 (socket 0) busy, 4-7 (socket 1) idle
        for (int cpu = 0; cpu < 4; cpu++) CpuBits.clear(c.sched.idlers, cpu);
        FakeVcpu v = c.domain(256, 0, 1).v(0);
        v.processor = 0;
        v.hard = ANY;
        c.sched.insertVcpu(v);
        int p = c.sched.pickCpu(v);
        assertTrue(p >= 4, "moved to the idle socket: " + p);
        v.hard = CpuMask.of(0, 1, 2);
        assertTrue(c.sched.pickCpu(v) <= 2, "within its affinity");
        v.hard = CpuMask.of(6);
        assertEquals(6, c.sched.pickCpu(v));
    }

    @Test
    void pickCpuPrefersACoreWithIdleSiblings() {
        FakeCore c = new FakeCore(HostTopology.of(1, 2, 2, 1, 1L << 30), Map.of());
        CpuBits.clear(c.sched.idlers, 1); // cpu 0's sibling is busy; core 1 (cpus 2, 3) fully idle
        FakeVcpu v = c.domain(256, 0, 1).v(0);
        v.processor = 0;
        v.hard = ANY;
        c.sched.insertVcpu(v);
        int p = c.sched.pickCpu(v);
        assertTrue(p == 2 || p == 3, "picked " + p);
        // all idle: it stays where it is
        CpuBits.set(c.sched.idlers, 1);
        assertEquals(0, c.sched.pickCpu(v));
    }

    @Test
    void pickCpuMovesAcrossSocketsOnlyToMoreThanTwiceAsIdle() {
        FakeCore c = new FakeCore(HostTopology.of(2, 2, 1, 1, 1L << 30), Map.of());
        CpuBits.clear(c.sched.idlers, 1); // socket 0: cpu 0 idle; socket 1: both idle -> 2 is not more than 2 x 1
        FakeVcpu v = c.domain(256, 0, 1).v(0);
        v.processor = 0;
        v.hard = ANY;
        c.sched.insertVcpu(v);
        assertEquals(0, c.sched.pickCpu(v));
    }

    @Test
    void pickCpuRotatesOverEquallyIdleTargets() {
        FakeCore c = new FakeCore(HostTopology.of(2, 4, 1, 1, 1L << 30), Map.of());
        for (int cpu = 0; cpu < 4; cpu++) CpuBits.clear(c.sched.idlers, cpu);
        FakeVcpu v = c.domain(256, 0, 1).v(0);
        v.processor = 0;
        v.hard = ANY;
        c.sched.insertVcpu(v);
        int first = c.sched.pickCpu(v), second = c.sched.pickCpu(v);
        assertTrue(first >= 4 && second >= 4, first + ", " + second);
        assertNotEquals(first, second, "the idle bias moves on");
    }

    @Test
    void domainParamsAreValidatedWithXensMessagesAndNothingChangesOnRejection() {
        FakeCore c = new FakeCore(1);
        FakeDomain d = c.domain(300, 0, 2);
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class, () -> c.sched.setDomainParams(d, Map.of("weight", 0L)));
        assertEquals("Cpu weight out of range, valid values are within range from 1 to 65535", w.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.sched.setDomainParams(d, Map.of("weight", 65536L)));
        IllegalArgumentException cap = assertThrows(IllegalArgumentException.class, () -> c.sched.setDomainParams(d, Map.of("weight", 500L, "cap", 201L)));
        assertEquals("Cpu cap out of range, valid range is from 0 to 200 for specified number of vcpus", cap.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.sched.setDomainParams(d, Map.of("cap", -1L)));
        assertEquals(Map.of("weight", 300L, "cap", 0L), c.sched.getDomainParams(d));
        c.sched.setDomainParams(d, Map.of("weight", 65535L, "cap", 200L));
        assertEquals(Map.of("weight", 65535L, "cap", 200L), c.sched.getDomainParams(d));
        c.sched.setDomainParams(d, Map.of("weight", 1L));
        assertEquals(Map.of("weight", 1L, "cap", 200L), c.sched.getDomainParams(d));
    }

    @Test
    void poolParamsAreValidatedAndNothingChangesOnRejection() {
        FakeCore c = new FakeCore(1);
        var s = c.sched;
        assertEquals("tslice_ms 0 out of range, valid values are within range from 1 to 1000 ms",
                assertThrows(IllegalArgumentException.class, () -> s.setPoolParams(Map.of("tslice_ms", 0L))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.setPoolParams(Map.of("tslice_ms", 1001L)));
        assertEquals("ratelimit_us 500001 out of range, valid values are within range from 100 to 500000 us",
                assertThrows(IllegalArgumentException.class, () -> s.setPoolParams(Map.of("ratelimit_us", 500_001L))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.setPoolParams(Map.of("ratelimit_us", 99L)));
        assertEquals("ratelimit_us (2000) must not exceed tslice_ms (1 ms)",
                assertThrows(IllegalArgumentException.class, () -> s.setPoolParams(Map.of("tslice_ms", 1L, "ratelimit_us", 2000L))).getMessage());
        assertEquals(Map.of("tslice_ms", 30L, "ratelimit_us", 1000L), s.getPoolParams());
        assertThrows(IllegalArgumentException.class, () -> new Credit1Provider().create(c, Map.of("tslice_ms", 2000L)));
        s.setPoolParams(Map.of("tslice_ms", 2L));
        assertEquals(1, s.settings.ticksPerTslice(), "under 3 ms: one tick per slice");
        assertEquals(2 * MS, s.settings.tickPeriodNs());
        assertEquals(20, s.settings.creditsPerTslice());
        s.setPoolParams(Map.of("tslice_ms", 1000L, "ratelimit_us", 500_000L));
        assertEquals(Map.of("tslice_ms", 1000L, "ratelimit_us", 500_000L), s.getPoolParams());
    }

    @Test
    void dumpPrintsSettingsAndVcpuLines() {
        FakeCore c = new FakeCore(2);
        FakeDomain d = c.domain(512, 0, 1);
        c.start(d.v(0), 0, ANY);
        c.schedule(0);
        c.advance(35 * MS);
        StringWriter sw = new StringWriter();
        c.sched.dump(new PrintWriter(sw));
        String out = sw.toString();
        assertTrue(out.contains("tslice             = 30ms"), out);
        assertTrue(out.contains("ratelimit          = 1000us"), out);
        assertTrue(out.contains("ticks per tslice   = 3"), out);
        assertTrue(out.contains("ncpus              = 2"), out);
        assertTrue(out.matches("(?s).*\\[" + d.id + "\\.0\\] pri=-1 flags= cpu=0 credit=-?\\d+ \\[w=512\\].*"), out);
    }
}
