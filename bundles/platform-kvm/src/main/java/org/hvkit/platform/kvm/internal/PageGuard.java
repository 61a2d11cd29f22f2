package org.hvkit.platform.kvm.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-page interception on KVM with memory slots (kvm.md §6): guest RAM is covered by slots, one
 * per run of pages of one class, and a page's class decides what reaches the VMM:
 * <ul>
 * <li>{@link #OPEN}: an ordinary slot, nothing exits;</li>
 * <li>{@link #READONLY}: a {@code KVM_MEM_READONLY} slot, a guest write exits as
 * {@code KVM_EXIT_MMIO} with address, length and data, not done; reads and fetches run;</li>
 * <li>{@link #HOLE}: no slot, reads and writes exit as MMIO (emulated by KVM: the VMM completes
 * them), and a fetch is, on PVM, a resumable {@code KVM_EXIT_INTERNAL_ERROR}.</li>
 * </ul>
 * KVM ignores execute permission on the host side, so denying only fetches takes a hole, and
 * every permitted read and write of such a page costs an exit.
 *
 * <p>Why slots and not {@code mprotect} of the host mapping: measured here, a native (ring-3)
 * guest write to a {@code PROT_READ} page makes {@code KVM_RUN} fail with EFAULT and no
 * gpa ({@code KVM_EXIT_MEMORY_FAULT} is only filled for private memory), so the VMM cannot tell
 * which page or access it was. Slots also leave the host mapping read-write, so the hypervisor's
 * own accesses never fault, and leave the host's huge pages whole; KVM cannot map a guest
 * superpage across a slot boundary, which {@link #splitsChunk} tells.
 *
 * <p>Thread-safe: its own monitor, taken last (the p2m's listener, exits in machine context).
 */
final class PageGuard {
    static final long PAGE = 4096;
    /** Classes of a page. */
    static final int OPEN = 0, READONLY = 1, HOLE = 2;
    static final int KVM_MEM_READONLY = 2, KVM_MEM_LOG_DIRTY_PAGES = 1;

    private final int vmFd;
    private final MemorySegment ram;
    /** Denied bits per 4 KiB page (P2mAccess.READ/WRITE/EXEC); 0 = unprotected. */
    private final byte[] deny;
    /** A page opened for one step, with the class it has meanwhile, or -1. */
    private long openGfn = -1;
    private int openClass;
    /** Slots by first gfn: {first, pages, class, slot id}. */
    private final TreeMap<Long, long[]> slots = new TreeMap<>();
    private final java.util.BitSet usedIds = new java.util.BitSet();
    private final int maxSlots;
    private long protectedPages;
    /** Memslot ioctls made (a figure), and bumped on every slot change (a fault racing a change retries). */
    long slotCalls, generation;

    /** Runs slot changes with the guest's vCPUs out of KVM_RUN (KvmGuest.withVcpusOut). */
    private final java.util.function.Consumer<Runnable> quiesce;

    PageGuard(int vmFd, MemorySegment ram, long pages, int maxSlots, java.util.function.Consumer<Runnable> quiesce) {
        this.quiesce = quiesce;
        this.vmFd = vmFd;
        this.ram = ram;
        this.deny = new byte[(int) pages];
        this.maxSlots = Math.max(1, maxSlots);
        if (pages > 0) create(0, pages, OPEN);
    }

    long pages() {
        return deny.length;
    }

    synchronized int denied(long gfn) {
        return gfn >= 0 && gfn < deny.length ? deny[(int) gfn] : 0;
    }

    /** The class that enforces {@code denied} bits. */
    static int classOf(int denied) {
        if ((denied & (org.hvkit.api.p2m.P2mAccess.READ | org.hvkit.api.p2m.P2mAccess.EXEC)) != 0) return HOLE;
        if ((denied & org.hvkit.api.p2m.P2mAccess.WRITE) != 0) return READONLY;
        return OPEN;
    }

    /** The class page {@code gfn} has now (what its slot does), counting a page opened for a step. */
    synchronized int classNow(long gfn) {
        if (gfn == openGfn) return openClass;
        int c = classOf(denied(gfn));
        return c == HOLE && walked.get((int) gfn) ? READONLY : c;
    }

    /**
     * Pages KVM itself must read to run the guest at all (its page tables, GDT, TSS, kernel stacks:
     * the walker and PVM's emulator read them through the slots): never holes, at most read-only, so
     * reads and fetches there are not intercepted.
     */
    private final java.util.BitSet walked = new java.util.BitSet();

    synchronized void keepReadable(long gfn) {
        if (gfn >= 0 && gfn < deny.length) walked.set((int) gfn);
    }

    synchronized boolean keptReadable(long gfn) {
        return walked.get((int) gfn);
    }

    synchronized boolean anyProtected() {
        return protectedPages > 0;
    }

    /** Denies {@code bits} on pages [first, first + count), replacing what was denied; slots follow. */
    synchronized void set(long first, long count, int bits) {
        if (first < 0 || count < 0 || first + count > deny.length) {
            throw new IllegalArgumentException("pages " + first + "+" + count + " outside the guest's " + deny.length + " pages of RAM");
        }
        if (count == 0) return;
        boolean change = false;
        for (long g = first; g < first + count; g++) {
            int old = deny[(int) g];
            if (old == bits) continue;
            if (classOf(old) != classOf(bits)) change = true;
            if (old == 0) protectedPages++;
            if (bits == 0) protectedPages--;
            deny[(int) g] = (byte) bits;
        }
        if (change) reslot(first, first + count);
    }

    /** Lifts every protection (the handler went away for good, the domain is torn down). */
    synchronized void clear() {
        if (protectedPages > 0 || openGfn >= 0) {
            openGfn = -1;
            set(0, deny.length, 0);
            reslot(0, deny.length);
        }
    }

    /** Gives page {@code gfn} class {@code cls} for one step, keeping what is denied; {@link #reapply} ends it. */
    synchronized void openTo(long gfn, int cls) {
        long was = openGfn;
        openGfn = gfn;
        openClass = cls;
        if (was >= 0 && was != gfn) reslot(was, was + 1);
        reslot(gfn, gfn + 1);
    }

    /** Ends a step's opening of {@code gfn}: the page's own class again. */
    synchronized void reapply(long gfn) {
        if (openGfn != gfn) return;
        openGfn = -1;
        reslot(gfn, gfn + 1);
    }

    /**
     * Whether KVM must map 2 MiB chunk {@code chunk} with 4 KiB entries because slots of different
     * classes meet inside it (or a hole is in it).
     */
    synchronized boolean splitsChunk(long chunk) {
        long lo = chunk * 512, hi = Math.min(lo + 512, deny.length);
        if (lo >= hi) return false;
        int c = classNow(lo);
        if (c == HOLE) return true;
        for (long g = lo + 1; g < hi; g++) if (classNow(g) != c) return true;
        // one class over the chunk, but slot boundaries inside it (runs not merged) split it too
        Map.Entry<Long, long[]> e = slots.floorEntry(lo);
        return e == null || e.getValue()[0] + e.getValue()[1] < hi;
    }

    /** Reads guest RAM at {@code off} (the hypervisor's view is always read-write). */
    void read(long off, byte[] dst) {
        check(off, dst.length);
        MemorySegment.copy(ram, JAVA_BYTE, off, dst, 0, dst.length);
    }

    void write(long off, byte[] src) {
        check(off, src.length);
        markDirty(off, src.length);
        MemorySegment.copy(src, 0, ram, JAVA_BYTE, off, src.length);
    }

    /**
     * Counts [off, off + len) as dirty while logging: written through the hypervisor's own mapping
     * (a hypervisor write, a device's DMA), which KVM's log never sees. Pages beyond the slots'
     * RAM are nobody's to migrate and are ignored.
     */
    synchronized void markDirty(long off, long len) {
        if (!logging || len <= 0 || off < 0) return;
        long end = Math.min(off + len, ram.byteSize());
        if (end > off) extraDirty.set((int) (off / PAGE), (int) ((end - 1) / PAGE) + 1);
    }

    private void check(long off, long len) {
        if (off < 0 || len < 0 || off + len > ram.byteSize()) throw new IllegalArgumentException(len + " bytes at 0x" + Long.toHexString(off) + " are outside the guest's RAM");
    }

    // ------------------------------------------------------------------ dirty logging (live migration)

    /** Whether slots log the pages the guest writes (xl migrate's pre-copy). */
    private boolean logging;
    /**
     * Pages dirty by other means than the log: written by the hypervisor ({@link #write}), or in a
     * slot rebuilt while logging (its log goes with the old slot), counted as wholly dirty.
     */
    private final java.util.BitSet extraDirty = new java.util.BitSet();

    private int flags(int cls) {
        return (cls == READONLY ? KVM_MEM_READONLY : 0) | (logging ? KVM_MEM_LOG_DIRTY_PAGES : 0);
    }

    /**
     * Starts or stops dirty logging on every slot. Only the flags of the slots change, which KVM
     * does in place, so the guest's vCPUs may keep running.
     */
    synchronized void logDirty(boolean on) {
        if (logging == on) return;
        logging = on;
        extraDirty.clear();
        for (long[] s : slots.values()) region((int) s[3], flags((int) s[2]), s[0], s[1]);
    }

    /** ORs into {@code into} every page written since the last call (KVM_GET_DIRTY_LOG reads and clears each slot's bitmap). */
    synchronized void takeDirty(java.util.BitSet into) {
        if (!logging) throw new IllegalStateException("dirty logging is off");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment log = a.allocate(16);
            for (long[] s : slots.values()) {
                long words = (s[1] + 63) / 64;
                MemorySegment bitmap = a.allocate(words * 8, 8);
                log.set(JAVA_INT, 0, (int) s[3]);
                log.set(JAVA_LONG, 8, bitmap.address());
                Native.ioctl(vmFd, Kvm.GET_DIRTY_LOG, log, "KVM_GET_DIRTY_LOG slot " + s[3]);
                for (long w = 0; w < words; w++) {
                    long bits = bitmap.getAtIndex(JAVA_LONG, w);
                    while (bits != 0) {
                        int b = Long.numberOfTrailingZeros(bits);
                        into.set((int) (s[0] + w * 64 + b));
                        bits &= bits - 1;
                    }
                }
            }
        }
        into.or(extraDirty);
        extraDirty.clear();
    }

    /** Number of memory slots in use (a figure). */
    synchronized int slotCount() {
        return slots.size();
    }

    // ------------------------------------------------------------------ slots

    /**
     * Rebuilds the slots over [lo, hi), widened to the slots it overlaps and to same-class
     * neighbours, so runs stay merged: delete those slots, create one per run that is not a hole.
     */
    private void reslot(long lo, long hi) {
        quiesce.accept(() -> reslotNow(lo, hi));
    }

    private void reslotNow(long lo, long hi) {
        Map.Entry<Long, long[]> e = slots.floorEntry(lo);
        if (e != null && e.getValue()[0] + e.getValue()[1] > lo) lo = e.getValue()[0];
        Map.Entry<Long, long[]> f = slots.floorEntry(hi - 1);
        if (f != null && f.getValue()[0] + f.getValue()[1] > hi) hi = f.getValue()[0] + f.getValue()[1];
        // widen to neighbours that would merge with the runs at either end
        Map.Entry<Long, long[]> left = slots.lowerEntry(lo);
        if (left != null && left.getValue()[0] + left.getValue()[1] == lo && left.getValue()[2] == classNow(lo)) lo = left.getValue()[0];
        Map.Entry<Long, long[]> right = slots.ceilingEntry(hi);
        if (right != null && right.getValue()[0] == hi && right.getValue()[2] == classNow(hi - 1)) hi = hi + right.getValue()[1];
        if (logging) extraDirty.set((int) lo, (int) hi); // the old slots' logs go with them
        for (long[] s : slots.subMap(lo, true, hi, false).values().toArray(long[][]::new)) delete(s);
        long g = lo;
        while (g < hi) {
            int c = classNow(g);
            long run = g + 1;
            while (run < hi && (run == openGfn || walked.get((int) run) ? classNow(run) : classOf(deny[(int) run])) == c) run++;
            if (c != HOLE) create(g, run - g, c);
            g = run;
        }
        generation++;
    }

    private void create(long first, long pages, int cls) {
        int id = usedIds.nextClearBit(0);
        if (id >= maxSlots) throw new IllegalStateException("memory access: the guest's protection needs more than the " + maxSlots + " memory slots KVM offers");
        region(id, flags(cls), first, pages);
        usedIds.set(id);
        slots.put(first, new long[] {first, pages, cls, id});
    }

    private void delete(long[] s) {
        region((int) s[3], 0, s[0], 0);
        usedIds.clear((int) s[3]);
        slots.remove(s[0]);
    }

    private void region(int id, int flags, long firstGfn, long pages) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = a.allocate(32);
            r.set(JAVA_INT, 0, id);
            r.set(JAVA_INT, 4, flags);
            r.set(JAVA_LONG, 8, firstGfn * PAGE);
            r.set(JAVA_LONG, 16, pages * PAGE);
            r.set(JAVA_LONG, 24, ram.address() + firstGfn * PAGE);
            slotCalls++;
            Native.ioctl(vmFd, Kvm.SET_USER_MEMORY_REGION, r, "KVM_SET_USER_MEMORY_REGION slot " + id + " gfn 0x" + Long.toHexString(firstGfn) + "+" + pages);
        }
    }
}
