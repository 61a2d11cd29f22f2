package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.memaccess.AccessEnforcement;
import org.hvkit.api.memaccess.Verdict;
import org.hvkit.api.memaccess.Violation;
import org.hvkit.api.memaccess.ViolationHandler;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.guests.Guests;
import org.junit.jupiter.api.Test;

/** The interception mechanism on KVM (kvm.md §6) with a handler of the test's own: the platform side alone. */
class KvmAccessTest {
    /** Opens each page on its first violation, in machine context, as xen-access does from its listener. */
    static final class OpenOnFirst implements ViolationHandler {
        final List<Violation> seen = new CopyOnWriteArrayList<>();
        volatile AccessEnforcement enf;
        volatile boolean destroyed;

        @Override
        public Verdict violation(Violation v) {
            seen.add(v);
            enf.p2m().setAccess(v.gfn(), 1, P2mAccess.RWX);
            return Verdict.CONTINUE;
        }

        @Override
        public void destroyed() {
            destroyed = true;
        }
    }

    private static Map<Long, Integer> perPage(List<Violation> vs, int bits) {
        Map<Long, Integer> m = new ConcurrentHashMap<>();
        for (Violation v : vs) if ((v.access() & bits) != 0) m.merge(v.gfn(), 1, Integer::sum);
        return m;
    }

    @Test
    void writesToReadOnlyPagesAreStoppedOncePerPageAndCompleteWithTheGuestsData() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.createPreserved("writer", "writer", "delay=300ms pages=64 rounds=3", 16);
            OpenOnFirst h = new OpenOnFirst();
            h.enf = rig.platform.attach(d.id(), h);
            h.enf.p2m().setAccess(0, h.enf.p2m().maxPages(), P2mAccess.RX);
            assertTrue(KvmRig.waitFor(() -> rig.shutDown(d.id()), 60_000), "writer did not finish: " + rig.console());
            Map<Long, Integer> w = perPage(h.seen, P2mAccess.WRITE);
            System.out.println("write violations per page: " + w.size() + " pages, " + h.seen.size() + " events; gfns " + w.keySet().stream().sorted().map(Long::toHexString).toList());
            for (long g = 0x400; g < 0x440; g++) assertEquals(1, w.getOrDefault(g, 0), "data page 0x" + Long.toHexString(g) + " " + rig.console() + " sum ok=" + (Guests.writerChecksum(64, 3) == rig.reported(d.id(), 1)));
            assertTrue(w.values().stream().allMatch(n -> n == 1), "one event per page: " + w);
            assertEquals(Guests.writerChecksum(64, 3), rig.reported(d.id(), 1), "the checksum is unchanged by being watched");
            rig.core.destroyDomain(d.id());
            assertTrue(h.destroyed, "the handler heard of the destroy");
        }
    }

    @Test
    void executeFromANoExecPageIsStoppedThenResumedWhereItFaulted() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.createPreserved("inject", "inject", "delay=300ms", 16);
            // protect once it is in ring 3 (its first exit is the delay's SLEEP), as xen-access attaches to a running guest
            assertTrue(KvmRig.waitFor(() -> rig.platform.firstExitNs(d.id()) >= 0, 10_000), "inject never ran");
            OpenOnFirst h = new OpenOnFirst();
            h.enf = rig.platform.attach(d.id(), h);
            h.enf.p2m().setAccess(0, h.enf.p2m().maxPages(), P2mAccess.RW);
            assertTrue(KvmRig.waitFor(() -> rig.shutDown(d.id()), 60_000), "inject did not finish: " + rig.console());
            Map<Long, Integer> x = perPage(h.seen, P2mAccess.EXEC);
            System.out.println("exec violations: " + x.keySet().stream().sorted().map(Long::toHexString).toList() + "; all " + h.seen.size());
            assertEquals(1, x.getOrDefault(Guests.INJECT_PAGE >>> 12, 0), "the payload page first fetch: " + x + " " + rig.console());
            assertTrue(x.values().stream().allMatch(n -> n == 1), "one exec event per page: " + x);
            assertEquals(Guests.INJECT_MARK, rig.reported(d.id(), 1), "the payload ran after its page was opened");
            Violation first = h.seen.stream().filter(v -> v.gfn() == Guests.INJECT_PAGE >>> 12 && (v.access() & P2mAccess.EXEC) != 0).findFirst().orElseThrow();
            assertEquals(Guests.INJECT_PAGE, first.gla(), "the fetch's linear address is the payload's entry");
        }
    }

    @Test
    void aPausedVcpuWaitsForTheAnswerAndTheHeldWriteCompletesOnResume() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.createPreserved("writer", "writer", "delay=300ms pages=4 rounds=2", 16);
            AtomicInteger events = new AtomicInteger();
            AccessEnforcement[] enf = new AccessEnforcement[1];
            enf[0] = rig.platform.attach(d.id(), new ViolationHandler() {
                @Override
                public Verdict violation(Violation v) {
                    events.incrementAndGet();
                    return Verdict.PAUSE;
                }

                @Override
                public void destroyed() {
                }
            });
            enf[0].p2m().setAccess(0x400, 4, P2mAccess.R);
            assertTrue(KvmRig.waitFor(() -> events.get() == 1, 20_000), "no violation");
            KvmGuest g = rig.platform.guests().iterator().next();
            Thread.sleep(200);
            assertEquals(1, events.get(), "the paused vCPU did not go on");
            assertTrue(rig.platform.call(() -> g.vcpus[0].accessPaused()));
            // answer without changing the access: tried again, it violates again
            enf[0].resume(0, false);
            assertTrue(KvmRig.waitFor(() -> events.get() == 2, 5_000), "retry did not violate again: " + events.get());
            // let it complete once: the next write (next qword) violates again, as the page is still r
            enf[0].resume(0, true);
            assertTrue(KvmRig.waitFor(() -> events.get() == 3, 5_000), "complete-once did not let exactly one write through: " + events.get());
            // open the pages and resume: the writer finishes with the right checksum
            enf[0].p2m().setAccess(0x400, 4, P2mAccess.RWX);
            enf[0].resume(0, false);
            assertTrue(KvmRig.waitFor(() -> rig.shutDown(d.id()), 30_000), "writer did not finish: " + rig.console());
            assertEquals(Guests.writerChecksum(4, 2), rig.reported(d.id(), 1));
            assertEquals(3, events.get());
        }
    }

    /**
     * "Complete once" on a fetch: the page is opened for one single-stepped instruction (or, where
     * KVM refuses single-step, until the vCPU's next exit) and closed again, so the payload's next
     * instructions fault again; it still runs to its end with the page never opened for good.
     */
    @Test
    void completeOnceOnAFetchLetsOneInstructionThrough() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.createPreserved("inject", "inject", "delay=300ms", 16);
            assertTrue(KvmRig.waitFor(() -> rig.platform.firstExitNs(d.id()) >= 0, 10_000), "inject never ran");
            AtomicInteger events = new AtomicInteger();
            AccessEnforcement[] enf = new AccessEnforcement[1];
            enf[0] = rig.platform.attach(d.id(), new ViolationHandler() {
                @Override
                public Verdict violation(Violation v) {
                    events.incrementAndGet();
                    return Verdict.PAUSE;
                }

                @Override
                public void destroyed() {
                }
            });
            enf[0].p2m().setAccess(Guests.INJECT_PAGE >>> 12, 1, P2mAccess.RW);
            int answered = 0;
            long end = System.nanoTime() + 30_000_000_000L;
            while (!rig.shutDown(d.id()) && System.nanoTime() < end) {
                if (events.get() > answered) {
                    answered++;
                    enf[0].resume(0, true);
                }
                Thread.sleep(2);
            }
            assertTrue(rig.shutDown(d.id()), "inject did not finish: " + events.get() + " events, " + rig.console());
            assertEquals(Guests.INJECT_MARK, rig.reported(d.id(), 1), "the payload ran, one let-through at a time: " + events.get() + " events, " + rig.console());
            boolean stepped = rig.console().stream().noneMatch(l -> l.contains("single-step"));
            System.out.println("complete-once fetches: " + events.get() + " events for the 3-instruction payload; single-step " + (stepped ? "used" : "refused here"));
            assertTrue(events.get() >= 1 && events.get() <= 3, "events: " + events.get());
            if (stepped) assertEquals(3, events.get(), "one event per payload instruction when stepping");
            assertEquals(P2mAccess.RW, enf[0].p2m().access(Guests.INJECT_PAGE >>> 12), "the page was never opened for good");
        }
    }
}
