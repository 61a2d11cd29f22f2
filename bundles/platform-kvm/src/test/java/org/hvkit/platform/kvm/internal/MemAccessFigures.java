package org.hvkit.platform.kvm.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.memaccess.AccessEnforcement;
import org.hvkit.api.memaccess.AccessResponse;
import org.hvkit.api.memaccess.MemAccessSession;
import org.hvkit.api.memaccess.Verdict;
import org.hvkit.api.memaccess.Violation;
import org.hvkit.api.memaccess.ViolationHandler;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.memaccess.internal.MemAccessService;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Memory access figures on KVM (not a test by default: run with {@code -Dhvkit.bench=true}, or
 * through {@code KvmFigures}): the event round trip (violation -> listener -> resume) against a
 * plain exit in the same run, sustained events per second, and setting an access over 1 GiB.
 *
 * <p>Every write of the writer guest to one page it keeps read-only is an event: the listener
 * answers "complete once", so the page stays read-only and the next write (the next qword) is
 * the next event. The plain exit is the burn guest's REPORT hypercall, on the same pinned pCPU.
 */
class MemAccessFigures {
    @Test
    void figures() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("hvkit.bench"), "figures: run with -Dhvkit.bench=true");
        print();
    }

    static void print() throws Exception {
        KvmRig.assumeKvm();
        CpuMask cpu0 = CpuMask.parse("0", 1, n -> null);
        System.out.println("memory access figures on KVM" + (Kvm.isPvm() ? " -- PVM (kvm_pvm, no VT-x/SVM: every exit is a PVM exit, writes to a read-only slot are emulated by KVM)" : ""));
        try (KvmRig rig = new KvmRig("0", true); MemAccessService ma = new MemAccessService(rig.platform, 5_000_000_000L)) {
            for (int round = 0; round < 3; round++) {
                int exits = 20_000;
                double plain = perExit(rig, "burn", "1 " + exits, exits, cpu0, null, null);
                int rounds = 16; // 16 x 512 writes
                int events = rounds * 512;
                double inMachine = perExit(rig, "writer", "delay=200ms pages=1 rounds=" + rounds, events, cpu0, Mode.HANDLER, null);
                // the listener's round trip without the spins (the carrier parks, the session thread parks), then with them
                AnswerSpin.enabled = false;
                ma.spinNanos(0);
                AtomicLong seenParked = new AtomicLong();
                double parked = perExit(rig, "writer", "delay=200ms pages=1 rounds=" + rounds, events, cpu0, Mode.LISTENER, new Object[] {ma, seenParked});
                AnswerSpin.enabled = true;
                ma.spinNanos(200_000);
                AtomicLong seen = new AtomicLong();
                double listener = perExit(rig, "writer", "delay=200ms pages=1 rounds=" + rounds, events, cpu0, Mode.LISTENER, new Object[] {ma, seen});
                System.out.printf("round %d: plain exit %.1f us | event handled in machine context %.1f us (%.2fx) | event through the mem-access listener,"
                        + " threads parking %.1f us (%.2fx) | spinning for the answer %.1f us (%.2fx), %.0f events/s, %d events seen, %d answers caught by the carrier's spin, %d missed, %d skipped%n",
                        round, plain, inMachine, inMachine / plain, parked, parked / plain, listener, listener / plain, 1e6 / listener, seen.get(), lastSpins[0], lastSpins[1], lastSpins[2]);
            }
        }
        try (KvmRig rig = new KvmRig(null, false); MemAccessService ma = new MemAccessService(rig.platform, 5_000_000_000L)) {
            DomainInfo d = rig.createPreserved("big", "burn", "1000000 0", 1024);
            Thread.sleep(500); // running in ring 3
            long pages = 1L << 18;
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                ma.setAccess(d.id(), 0, pages, P2mAccess.RX);
                long t1 = System.nanoTime();
                ma.setAccess(d.id(), 0, pages, P2mAccess.RWX);
                long t2 = System.nanoTime();
                KvmGuest g = rig.platform.guests().iterator().next();
                System.out.printf("setting an access over 1 GiB (%d frames, p2m and memory slots): rx %.1f ms, back to rwx %.1f ms (%d slots now)%n", pages,
                        (t1 - t0) / 1e6, (t2 - t1) / 1e6, g.access.guard().slotCount());
            }
        }
    }

    enum Mode { HANDLER, LISTENER }

    /** The last listener run's vCPU 0: answers its carrier caught while spinning, spins that ran out. */
    private static long[] lastSpins = {0, 0, 0};

    /** Wall time per exit (or event), microseconds, from the guest's first exit to its end. */
    private static double perExit(KvmRig rig, String guest, String extra, int n, CpuMask cpus, Mode mode, Object[] listener) throws Exception {
        DomainInfo d = rig.create(guest + "-" + System.nanoTime(), guest, extra, 16, cpus, null);
        AccessEnforcement[] enf = new AccessEnforcement[1];
        MemAccessSession s = null;
        java.util.concurrent.atomic.AtomicLongArray firstEvent = new java.util.concurrent.atomic.AtomicLongArray(1);
        if (mode == Mode.HANDLER) {
            enf[0] = rig.platform.attach(d.id(), new ViolationHandler() {
                @Override
                public Verdict violation(Violation v) {
                    firstEvent.compareAndSet(0, 0, System.nanoTime());
                    return Verdict.CONTINUE; // carried out once, the page stays read-only
                }

                @Override
                public void destroyed() {
                }
            });
            enf[0].p2m().setAccess(0x400, 1, P2mAccess.RX);
        } else if (mode == Mode.LISTENER) {
            MemAccessService ma = (MemAccessService) listener[0];
            AtomicLong seen = (AtomicLong) listener[1];
            s = ma.enable(d.id(), e -> {
                if (seen.getAndIncrement() == 0) firstEvent.set(0, System.nanoTime());
                return AccessResponse.completeOnce();
            });
            ma.setAccess(d.id(), 0x400, 1, P2mAccess.RX);
        }
        long t0 = 0;
        if (mode == null) {
            KvmRig.waitFor(() -> rig.gone(d.id()) || rig.platform.firstExitNs(d.id()) >= 0, 10_000);
            t0 = System.nanoTime();
        }
        KvmVcpu v0 = mode == Mode.LISTENER ? rig.platform.guests().stream().filter(g -> g.domid == d.id()).findFirst().orElseThrow().vcpus[0] : null;
        KvmRig.waitFor(() -> rig.gone(d.id()), 300_000);
        if (v0 != null) lastSpins = rig.platform.call(v0::answerSpins); // the vCPU object outlives its guest
        long end = System.nanoTime();
        if (s != null) s.close();
        if (mode != null) t0 = firstEvent.get(0);
        return (end - t0) / 1e3 / n;
    }
}
