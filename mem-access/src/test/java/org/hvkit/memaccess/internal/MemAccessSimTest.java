package org.hvkit.memaccess.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.memaccess.AccessEvent;
import org.hvkit.api.memaccess.AccessResponse;
import org.hvkit.api.memaccess.MemAccessListener;
import org.hvkit.api.memaccess.MemAccessSession;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.sched.credit1.internal.Credit1Provider;
import org.hvkit.testkit.Simulation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The memory access service on the real simulated machine and core: Xen 4.2's rules, the listener's failures, nothing left behind. */
class MemAccessSimTest {
    private Simulation sim;
    private MemAccessService ma;

    @BeforeEach
    void boot() {
        sim = Simulation.builder().scheduler(new Credit1Provider()).seed(3).build();
        ma = new MemAccessService(sim.platform(), 200_000_000L);
    }

    @AfterEach
    void stop() {
        ma.close();
        sim.close();
    }

    private int create(String name, int vcpus, String workload) {
        return sim.create(DomainConfig.builder(name).vcpus(vcpus).memoryMb(64).platformOptions(Map.of("workload", workload)).build()).id();
    }

    /** Steps the machine 1 ms at a time (the listener runs on its own thread meanwhile) until {@code done} or 20 s of wall time. */
    private void runUntil(BooleanSupplier done) {
        long end = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not reached by virtual time " + sim.now());
            sim.run(Duration.ofMillis(1));
            Thread.onSpinWait();
        }
    }

    private void settle(MemAccessSession s) {
        runUntil(() -> s.pending() == 0);
    }

    /** A listener that logs each event and opens the page, as xen-access does. */
    static class Opener implements MemAccessListener {
        final List<AccessEvent> events = Collections.synchronizedList(new ArrayList<>());
        volatile String gone;

        @Override
        public AccessResponse onEvent(AccessEvent e) {
            events.add(e);
            return AccessResponse.resume(P2mAccess.RWX);
        }

        @Override
        public void disconnected(String reason) {
            gone = reason;
        }
    }

    @Test
    void oneEventPerPageWrittenThenNone() {
        int d = create("writer", 1, "run 1ms touch w 0x0-0xffff every 2us; sleep 1ms");
        long pages = sim.hypervisor().p2m(d).maxPages();
        ma.setDefaultAccess(d, P2mAccess.RX);
        ma.setAccess(d, 0, pages, P2mAccess.RX);
        Opener l = new Opener();
        MemAccessSession s = ma.enable(d, l);
        runUntil(() -> l.events.size() >= 16);
        sim.run(Duration.ofMillis(50));
        settle(s);
        assertEquals(16, l.events.size(), "one event per page: " + l.events);
        for (int i = 0; i < 16; i++) {
            AccessEvent e = l.events.get(i);
            assertEquals(i, e.gfn());
            assertTrue(e.write() && !e.read() && !e.exec() && e.vcpuPaused());
        }
        assertEquals(P2mAccess.RWX, ma.getAccess(d, 3));
        assertEquals(P2mAccess.RX, ma.getAccess(d, 16));
        assertEquals(16, s.delivered());
        s.close();
        assertFalse(s.active());
        assertEquals("closed", s.endReason());
    }

    @Test
    void secondListenerGetsEbusyAndNoSuchDomainEsrch() {
        int d = create("a", 1, "cpu");
        MemAccessSession s = ma.enable(d, new Opener());
        var e = assertThrows(HypervisorException.class, () -> ma.enable(d, new Opener()));
        assertEquals(HypervisorException.Errno.EBUSY, e.errno());
        s.close();
        ma.enable(d, new Opener()).close(); // free again once the first is closed
        assertEquals(HypervisorException.Errno.ESRCH, assertThrows(HypervisorException.class, () -> ma.enable(42, new Opener())).errno());
        assertEquals(HypervisorException.Errno.EINVAL, assertThrows(HypervisorException.class, () -> ma.setAccess(d, 1L << 40, 1, P2mAccess.R)).errno());
    }

    @Test
    void noListenerDropsTheRestrictionOrCrashesWhenRequired() {
        int d = create("free", 1, "run 1ms touch w 0x0-0x3fff; sleep 1ms");
        ma.setAccess(d, 0, 4, P2mAccess.R);
        sim.run(Duration.ofMillis(10));
        for (int g = 0; g < 4; g++) assertEquals(P2mAccess.RWX, ma.getAccess(d, g), "restriction dropped on gfn " + g);
        assertEquals(4, ma.state(d).droppedNoListener);
        int c = create("strict", 1, "run 1ms touch w 0x0-0x3fff; sleep 1ms");
        ma.setAccess(c, 0, 4, P2mAccess.R);
        ma.setAccessRequired(c, true);
        sim.run(Duration.ofMillis(10));
        assertTrue(sim.hypervisor().domain(c).isEmpty(), "crashed and destroyed (on_crash=destroy)");
        String dmesg = String.join("\n", sim.hypervisor().readConsole(false));
        assertTrue(dmesg.contains("Memory access permissions failure, no mem_event listener VCPU 0, dom " + c), dmesg);
        assertTrue(sim.hypervisor().domain(d).isPresent());
    }

    @Test
    void rx2rwConvertsSilentlyAndN2rwxLogsWithoutPausing() {
        int d = create("conv", 1, "run 1ms touch w 0x0-0x1fff; sleep 1ms");
        ma.setAccess(d, 0, 1, P2mAccess.RX2RW);
        ma.setAccess(d, 1, 1, P2mAccess.N2RWX);
        Opener l = new Opener();
        MemAccessSession s = ma.enable(d, l);
        runUntil(() -> l.events.size() >= 1);
        sim.run(Duration.ofMillis(20));
        settle(s);
        assertEquals(1, l.events.size(), l.events.toString());
        assertEquals(1, l.events.get(0).gfn());
        assertFalse(l.events.get(0).vcpuPaused(), "n2rwx does not pause");
        assertEquals(P2mAccess.RW, ma.getAccess(d, 0));
        assertEquals(P2mAccess.RWX, ma.getAccess(d, 1));
        assertEquals(1, ma.state(d).autoRx2rw);
    }

    @Test
    void listenerThatThrowsIsDisconnectedAndTheRuleApplies() {
        int d = create("t", 1, "run 1ms touch w 0x0-0x3fff; sleep 1ms");
        ma.setAccess(d, 0, 4, P2mAccess.RX);
        var reason = new java.util.concurrent.atomic.AtomicReference<String>();
        MemAccessSession s = ma.enable(d, new MemAccessListener() {
            @Override
            public AccessResponse onEvent(AccessEvent e) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void disconnected(String r) {
                reason.set(r);
            }
        });
        runUntil(() -> !s.active());
        sim.run(Duration.ofMillis(10));
        assertTrue(s.endReason().contains("threw java.lang.IllegalStateException: listener bug"), s.endReason());
        runUntil(() -> reason.get() != null);
        String dmesg = String.join("\n", sim.hypervisor().readConsole(false));
        assertTrue(dmesg.contains("mem-access: d" + d + " listener disconnected: threw java.lang.IllegalStateException: listener bug on event 1"), dmesg);
        // the held vCPU retries: no listener, access not required, so each page's restriction is dropped
        runUntil(() -> ma.getAccess(d, 3) == P2mAccess.RWX);
        for (int g = 0; g < 4; g++) assertEquals(P2mAccess.RWX, ma.getAccess(d, g));
        assertEquals(0, ma.state(d).held());
        // a new listener may enable after the disconnection
        ma.enable(d, new Opener()).close();
    }

    @Test
    void listenerThatNeverAnswersIsCutOffAndOtherDomainsRunOn() throws Exception {
        int other = create("other", 1, "cpu");
        int d = create("stuck", 1, "run 1ms touch w 0x0-0x3fff; sleep 1ms");
        ma.setAccess(d, 0, 4, P2mAccess.RX);
        ma.setAccessRequired(d, true);
        CountDownLatch entered = new CountDownLatch(1);
        MemAccessSession s = ma.enable(d, e -> {
            entered.countDown();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
            return AccessResponse.resume();
        });
        runUntil(() -> entered.getCount() == 0);
        long t0 = sim.now(), c0 = sim.cpuTimeNs(other);
        // while the listener stalls, the machine runs: the other domain gets its share
        sim.run(Duration.ofMillis(100));
        long ran = sim.cpuTimeNs(other) - c0, span = sim.now() - t0;
        assertTrue(ran > span * 9 / 10, "other domain ran " + ran + " of " + span + " ns while the listener stalled");
        runUntil(() -> !s.active());
        assertTrue(s.endReason().contains("did not answer event 1 (vcpu 0, gfn 0) within 200 ms"), s.endReason());
        // access required and no listener any more: the retried access crashes the domain
        runUntil(() -> sim.hypervisor().domain(d).isEmpty());
        assertTrue(sim.hypervisor().domain(other).isPresent());
        runUntil(() -> threads("hvkit-mem-access-d" + d) == 0);
    }

    @Test
    void destroyWithEventsPendingLeavesNothing() throws Exception {
        int d = create("busy", 4, "run 1ms touch w 0x0-0xffff every 1us; sleep 1ms");
        ma.setAccess(d, 0, 16, P2mAccess.R);
        CountDownLatch release = new CountDownLatch(1);
        Opener l = new Opener() {
            @Override
            public AccessResponse onEvent(AccessEvent e) {
                events.add(e);
                try {
                    release.await();
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
                return AccessResponse.resume(P2mAccess.RWX);
            }
        };
        MemAccessSession s = ma.enable(d, l);
        runUntil(() -> s.pending() >= 4);
        assertEquals(4, ma.state(d).held(), "every vCPU waits for an answer");
        sim.hypervisor().destroyDomain(d);
        assertFalse(s.active());
        assertEquals("domain " + d + " destroyed", s.endReason());
        runUntil(() -> l.gone != null && threads("hvkit-mem-access-d" + d) == 0);
        assertEquals(0, s.pending());
        assertTrue(ma.state(d) == null, "the service forgot the domain");
        release.countDown();
        assertEquals(HypervisorException.Errno.ESRCH, assertThrows(HypervisorException.class, () -> ma.getAccess(d, 0)).errno());
    }

    @Test
    void crashAnswerCrashesTheDomain() {
        int d = create("c", 1, "run 1ms touch x 0x0-0x0; sleep 1ms");
        ma.setAccess(d, 0, 1, P2mAccess.RW);
        MemAccessSession s = ma.enable(d, e -> AccessResponse.crash());
        runUntil(() -> sim.hypervisor().domain(d).isEmpty());
        assertFalse(s.active());
    }

    @Test
    void completeOnceKeepsTheRestriction() {
        int d = create("once", 1, "run 1ms touch w 0x0-0x0 every 100us; sleep 1ms");
        ma.setAccess(d, 0, 1, P2mAccess.R);
        List<AccessEvent> seen = Collections.synchronizedList(new ArrayList<>());
        MemAccessSession s = ma.enable(d, e -> {
            seen.add(e);
            return AccessResponse.completeOnce();
        });
        runUntil(() -> seen.size() >= 5);
        assertEquals(P2mAccess.R, ma.getAccess(d, 0), "restriction kept");
        s.close();
    }

    @Test
    void flowControlPausesWhenFreeSlotsFallBelowTheVcpuCount() {
        // 70 vCPUs > 64 slots: the ring's flow control has to hold vCPUs, and no event is lost
        int d = sim.create(DomainConfig.builder("wide").vcpus(70).memoryMb(64).platformOptions(Map.of("workload", "run 1ms touch w 0x0-0x3fffff every 1us; sleep 1ms")).build()).id();
        ma.setAccess(d, 0, 1024, P2mAccess.R);
        Opener l = new Opener();
        MemAccessSession s = ma.enable(d, l);
        runUntil(() -> ma.getAccess(d, 1023) == P2mAccess.RWX && s.pending() == 0);
        assertEquals(1024, l.events.stream().map(AccessEvent::gfn).distinct().count(), "every page reported");
        for (long g = 0; g < 1024; g++) assertEquals(P2mAccess.RWX, ma.getAccess(d, g));
        assertTrue(ma.state(d).ringBlocks + ma.state(d).ringWaits > 0, "flow control engaged");
        assertEquals(0, ma.state(d).held());
    }

    /** Violations so frequent that credit's tickles cross the rate bound inside do_schedule: the pool falls back, the machine runs on. */
    @Test
    void evictionInsideDoScheduleUnderAViolationStorm() {
        int d = create("storm", 8, "run 1s touch w 0x10000-0x10fff every 1us");
        ma.setAccess(d, 0x10, 1, P2mAccess.RX);
        MemAccessSession s = ma.enable(d, e -> AccessResponse.completeOnce());
        long end = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < end && !String.join("\n", sim.hypervisor().readConsole(false)).contains("rate bound")) sim.run(Duration.ofNanos(20_000));
        for (int i = 0; i < 200; i++) sim.run(Duration.ofNanos(20_000));
        assertTrue(s.delivered() > 0);
        assertTrue(sim.hypervisor().domain(d).isPresent());
        s.close();
    }

    static long threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
    }

    @Test
    void aTouchMappedAtALinearAddressReportsItAndOneWithoutSaysItIsUnknown() {
        int mapped = create("mapped", 1, "run 1ms touch w 0x40010-0x41fff every 10us at 0xffff800000400010; sleep 1ms");
        int plain = create("plain", 1, "run 1ms touch w 0x40000-0x41fff every 10us; sleep 1ms");
        Opener a = new Opener(), b = new Opener();
        MemAccessSession sa = ma.enable(mapped, a), sb = ma.enable(plain, b);
        ma.setAccess(mapped, 0x40, 2, P2mAccess.RX);
        ma.setAccess(plain, 0x40, 2, P2mAccess.RX);
        runUntil(() -> a.events.size() == 2 && b.events.size() == 2);
        settle(sa);
        settle(sb);
        AccessEvent first = a.events.get(0), second = a.events.get(1);
        assertTrue(first.glaValid() && second.glaValid(), a.events.toString());
        assertEquals(0xffff800000400010L, first.gla(), "FIRST at LINEAR: " + first);
        assertEquals(0x10, first.offset());
        assertEquals(0xffff800000401000L, second.gla(), "the next page, contiguously: " + second);
        assertFalse(b.events.get(0).glaValid(), "no mapping given: the address is unknown");
        assertEquals(0, b.events.get(0).gla());
    }
}
