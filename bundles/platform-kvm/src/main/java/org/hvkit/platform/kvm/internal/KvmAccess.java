package org.hvkit.platform.kvm.internal;

import org.hvkit.api.memaccess.AccessEnforcement;
import org.hvkit.api.memaccess.Verdict;
import org.hvkit.api.memaccess.Violation;
import org.hvkit.api.memaccess.ViolationHandler;
import org.hvkit.api.p2m.P2m;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.api.p2m.P2mChange;
import org.hvkit.api.p2m.P2mListener;
import org.hvkit.api.p2m.P2mTable;
import org.hvkit.api.p2m.PageOrder;

/**
 * One domain's memory-access enforcement on KVM: follows the p2m's access with {@link PageGuard}
 * page protection, turns the exits that protection causes into {@link Violation}s for the attached
 * {@link ViolationHandler}, and holds or completes the faulting access as the handler decides.
 *
 * <p>The exits (kvm.md §6, measured on this project's PVM host): a write to a read-only slot
 * and any read or write of a hole arrive as {@code KVM_EXIT_MMIO} with the address,
 * length and (for writes) data, the access itself not done: the platform completes it from the exit
 * data through the hypervisor's own (never protected) mapping once it is permitted, or once as
 * the listener asked. An instruction fetch from a hole is, on PVM, a resumable
 * {@code KVM_EXIT_INTERNAL_ERROR}: the vCPU's RIP (translated to a gfn) names the page, and
 * entering again once the page is executable retries the fetch.
 *
 * <p>Locks: the p2m's listener runs under the table's lock and takes only the guard's; exits run
 * in machine context and take the handler's, the table's and the guard's, in that order, as the
 * mem-access bundle does; nothing here waits for another thread.
 */
final class KvmAccess implements P2mListener, AccessEnforcement {
    private final KvmGuest guest;
    private final P2mTable p2m;
    private final PageGuard guard;
    private volatile ViolationHandler handler;
    /** Pages of RAM the guest sees (the slot; above it nothing is mapped). */
    private final long guestPages;
    /** Counters (figures and tests). */
    long violations, completedInline, execFaults, splitsSeen, mergesSeen, degradedExec;
    private boolean warnedExecOnly;

    KvmAccess(KvmGuest guest, P2mTable p2m, PageGuard guard, long guestPages) {
        this.guest = guest;
        this.p2m = p2m;
        this.guard = guard;
        this.guestPages = guestPages;
        p2m.addListener(this);
    }

    /** The bits the host protection must deny for {@code a}: what it does not permit now. */
    static int deniedBits(P2mAccess a) {
        return ~a.bits() & (P2mAccess.READ | P2mAccess.WRITE | P2mAccess.EXEC);
    }

    // ------------------------------------------------------------------ following the p2m

    @Override
    public void changed(P2mChange c) {
        try {
            apply(c);
        } catch (RuntimeException e) {
            // the p2m changed but its enforcement did not: say so loudly (the table only logs it)
            guest.platform.log("d" + guest.domid + ": enforcing p2m change " + c + " failed: " + e);
            note = "mem-access: enforcing a p2m change failed: " + e.getMessage();
            throw e;
        }
    }

    private void apply(P2mChange c) {
        if (c.kind() == P2mChange.Kind.DESTROY) {
            guard.clear();
            return;
        }
        if (c.kind() != P2mChange.Kind.ACCESS) return;
        long end = Math.min(c.firstGfn() + c.pages(), guard.pages());
        if (end <= c.firstGfn()) return;
        // runs of one access (the table merges them), each applied with one PageGuard call
        for (org.hvkit.api.p2m.P2mRange r : p2m.ranges(c.firstGfn(), end - c.firstGfn())) guard.set(r.firstGfn(), r.pages(), deniedBits(r.access()));
        recordSplits(c.firstGfn(), c.pages());
        if (!warnedKept) {
            for (long k = c.firstGfn(); k < end; k++) {
                if (guard.keptReadable(k) && PageGuard.classOf(deniedBits(p2m.access(k))) == PageGuard.HOLE) {
                    warnedKept = true;
                    // the table's lock is held here: the line waits for machine context (flushNote)
                    note = "mem-access: the guest's page tables, GDT, TSS (gfns 1-5) and kernel stacks stay readable to KVM, which walks and (on PVM) emulates through them: reads and fetches there are not intercepted";
                    break;
                }
            }
        }
    }

    private boolean warnedKept;
    private volatile String note;

    /** Writes a line noted outside machine context to xl dmesg. Machine context (each exit). */
    void flushNote() {
        String n = note;
        if (n != null) {
            note = null;
            guest.events.log(n);
        }
    }

    /**
     * After a protection change, KVM can no longer map a 2 MiB chunk huge where slots of different
     * classes meet inside it, and the host may have split its huge page meanwhile (read back): the
     * p2m learns the order actually left, never a larger one. The other way too, unlike Xen's p2m:
     * a chunk recorded 4K whose slots are one class again and whose host page is still 2 MiB
     * (read back, not assumed) is a superpage again, as KVM maps it huge once more.
     */
    private void recordSplits(long first, long pages) {
        long whole = guard.pages() & ~511L;
        long end = Math.min(first + pages, whole);
        if (end <= first) return;
        // only the chunks at the range's two ends can have slots meeting inside them
        for (long chunk : new long[] {first / 512, (end - 1) / 512}) {
            long g = chunk * 512;
            if (g + 512 > whole || g < 0) continue;
            boolean split = guard.splitsChunk(chunk) || guest.memory.chunkOrders(chunk, 1)[0] == 0;
            if (split && p2m.order(g) != PageOrder.ORDER_4K) {
                p2m.setOrder(g, 512, PageOrder.ORDER_4K);
                splitsSeen++;
            }
        }
        // chunks of the range recorded 4K with one slot class over them: candidates to merge
        long c0 = first / 512, c1 = (end - 1) / 512, lo = -1, hi = -1;
        for (long c = c0; c <= c1; c++) {
            if (p2m.order(c * 512) != PageOrder.ORDER_4K || guard.splitsChunk(c)) continue;
            if (lo < 0) lo = c;
            hi = c;
        }
        if (lo < 0) return;
        int[] host = guest.memory.chunkOrders(lo, hi - lo + 1); // one read-back for all of them
        for (long c = lo; c <= hi; c++) {
            if (host[(int) (c - lo)] < 9 || p2m.order(c * 512) != PageOrder.ORDER_4K || guard.splitsChunk(c)) continue;
            // merges only where the chunk's 512 frames have one type and one access again
            if (p2m.setOrder(c * 512, 512, PageOrder.ORDER_2M) == 1) mergesSeen++;
        }
    }

    // ------------------------------------------------------------------ the SPI

    void attach(ViolationHandler h) {
        synchronized (this) {
            if (handler != null) throw new IllegalStateException("domain " + guest.domid + " already has a memory access handler attached");
            handler = h;
        }
    }

    @Override
    public int domainId() {
        return guest.domid;
    }

    @Override
    public int vcpus() {
        return guest.vcpus.length;
    }

    @Override
    public P2m p2m() {
        return p2m;
    }

    @Override
    public void resume(int vcpu, boolean completeOnce) {
        if (vcpu < 0 || vcpu >= guest.vcpus.length) return;
        KvmVcpu v = guest.vcpus[vcpu];
        if (v != null && v.offerAnswer(completeOnce)) return; // its carrier spins for it: no machine lock, no wake-up
        inMachine(() -> guest.vcpus[vcpu].resumeHeld(completeOnce));
    }

    @Override
    public void crash(String reason) {
        inMachine(() -> {
            if (!guest.isDestroyed()) guest.crash(reason);
        });
    }

    @Override
    public void log(String line) {
        inMachine(() -> guest.events.log(line));
    }

    @Override
    public void close() {
        ViolationHandler h;
        synchronized (this) {
            h = handler;
            handler = null;
        }
        if (h == null) return;
        inMachine(() -> {
            for (KvmVcpu v : guest.vcpus) if (v != null) v.resumeHeld(false);
        });
    }

    /** Destroy: the handler hears it once, held vCPUs are dropped with their guest. Machine context. */
    void destroyed() {
        ViolationHandler h;
        synchronized (this) {
            h = handler;
            handler = null;
        }
        p2m.removeListener(this);
        // the slots go with the VM fd: no need to rebuild them on the way out
        if (h != null) {
            try {
                h.destroyed();
            } catch (RuntimeException e) {
                guest.platform.log("d" + guest.domid + ": memory access handler threw on destroy: " + e);
            }
        }
    }

    private void inMachine(Runnable r) {
        try {
            guest.platform.call(() -> {
                r.run();
                return null;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ exits (machine context)

    /** Whether {@code gpa} is guest RAM this enforcement covers. */
    boolean isRam(long gpa) {
        return gpa >= 0 && (gpa >>> 12) < guestPages;
    }

    /**
     * An access of {@code bits} by {@code vcpu} at {@code gpa} that the host protection stopped.
     * Returns {@link Verdict#CONTINUE} when it may complete now, {@link Verdict#PAUSE} to hold it,
     * {@link Verdict#CRASHED} when the domain was crashed.
     */
    Verdict check(KvmVcpu vcpu, long gpa, int bits, long gla) {
        long gfn = gpa >>> 12;
        if (p2m.access(gfn).permits(bits)) {
            completedInline++;
            return Verdict.CONTINUE; // a permitted access to a page protected for another kind
        }
        violations++;
        ViolationHandler h = handler;
        if (h == null) {
            // Xen's rule with no listener and access not required: drop the page's restriction
            p2m.setAccess(gfn, 1, P2mAccess.RWX);
            return Verdict.CONTINUE;
        }
        try {
            return h.violation(new Violation(vcpu.id, gfn, (int) (gpa & 4095), bits, gla));
        } catch (RuntimeException e) {
            // a faulty handler must not take the carrier down: the domain goes on as with no handler
            guest.platform.log("d" + guest.domid + ": memory access handler threw, detached: " + e);
            synchronized (this) {
                if (handler == h) handler = null;
            }
            p2m.setAccess(gfn, 1, P2mAccess.RWX);
            return Verdict.CONTINUE;
        }
    }

    /**
     * A fetch from a page whose host protection is no-access although its access permits execution
     * (x, rx, wx: KVM cannot deny reads without denying fetches). The page is opened to what denies
     * writes only, so the guest runs; its reads are no longer intercepted, said once in xl dmesg.
     */
    void allowExecOnly(long gfn) {
        degradedExec++;
        guard.set(gfn, 1, deniedBits(p2m.access(gfn)) & P2mAccess.WRITE);
        if (!warnedExecOnly) {
            warnedExecOnly = true;
            guest.events.log("mem-access: KVM cannot let a page be executed but not read: gfn 0x" + Long.toHexString(gfn)
                    + " (access " + p2m.access(gfn).xenName() + ") is made readable, its reads are no longer intercepted");
        }
    }

    /** Opens page {@code gfn} for one fetch (COMPLETE_ONCE on an exec violation); {@link #reprotect} closes it. */
    void openOnce(long gfn) {
        guard.openTo(gfn, PageGuard.OPEN);
    }

    /** Puts back the protection the p2m asks for on {@code gfn}, after it was opened for a step. */
    void reprotect(long gfn) {
        guard.set(gfn, 1, deniedBits(p2m.access(gfn)));
        guard.reapply(gfn);
    }

    /** Whether the slots stop fetches from {@code gfn} (it is a hole). */
    boolean fetchBlocked(long gfn) {
        return guard.classNow(gfn) == PageGuard.HOLE;
    }

    PageGuard guard() {
        return guard;
    }
}
