package org.hvkit.platform.kvm.internal;

import java.lang.foreign.MemorySegment;
import org.hvkit.api.memory.GuestMemory;
import org.hvkit.api.p2m.P2m;
import org.hvkit.api.p2m.P2mTable;
import org.hvkit.api.p2m.P2mType;
import org.hvkit.api.p2m.PageOrder;

/**
 * One domain's RAM: guest-physical 0 up to its size, backed by one host mapping on the largest
 * pages the host gives ({@link RamBacking}), and its p2m with the orders really obtained. Every
 * access of the hypervisor to guest memory goes through {@link #slice} (the place for DMA
 * remapping later); the mapping is never protected, the guest's view is the VM's memory slots
 * ({@link PageGuard}), derived from {@link #host}.
 */
final class KvmGuestMemory implements GuestMemory {
    private final KvmHostMemory owner;
    private final int domid;
    private final long size;
    /** The host mapping (rounded up to 2 MiB), or null for Domain-0. */
    final MemorySegment host;
    private boolean closed;

    /** How the host backs it (null for Domain-0). */
    final RamBacking backing;

    KvmGuestMemory(KvmHostMemory owner, int domid, long size, RamBacking backing) {
        this.owner = owner;
        this.domid = domid;
        this.size = size;
        this.backing = backing;
        this.held = size;
        this.host = backing == null ? null : backing.mapping;
        this.p2m = host == null ? null : buildP2m(domid, size, backing, chunkOrders());
    }

    /**
     * Guest RAM [gpa, gpa + len) as the hypervisor reads it (its mapping is never protected); null
     * when the range is not RAM.
     */
    byte[] readBytes(long gpa, int len) {
        if (slice(gpa, len) == null) return null;
        return slice(gpa, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    /**
     * The page order the host really backs each 2 MiB chunk of RAM with, read back from the
     * kernel: 18 for a 1 GiB hugetlb page, 9 for a 2 MiB page table entry, 0 for 4 KiB pages.
     */
    int[] chunkOrders() {
        return host == null ? new int[0] : chunkOrders(0, host.byteSize() / RamBacking.MIB2);
    }

    /** {@link #chunkOrders()} for the {@code n} chunks from chunk {@code first}. */
    int[] chunkOrders(long first, long n) {
        java.util.BitSet huge = HostPageOrders.hugeChunks(host.asSlice(first * RamBacking.MIB2, n * RamBacking.MIB2));
        int[] o = new int[(int) n];
        long gibChunks = backing.hugetlbBytes / RamBacking.MIB2;
        for (int i = 0; i < n; i++) o[i] = !huge.get(i) ? 0 : first + i < gibChunks ? 18 : 9;
        return o;
    }

    /**
     * The p2m of the domain's RAM: every frame RAM at the default access, each 2 MiB chunk of the
     * order the host really gave it (read back when the memory was mapped).
     */
    private static P2mTable buildP2m(int domid, long size, RamBacking b, int[] orders) {
        P2mTable t = new P2mTable(domid, (size + 4095) >>> 12);
        t.populate(0, t.maxPages(), b.hugetlbBytes > 0 ? PageOrder.ORDER_1G : PageOrder.ORDER_2M, P2mType.RAM);
        for (int i = 0; i < orders.length; i++) {
            long g = 512L * i;
            if (g + 512 > t.maxPages()) break; // the tail is 4 KiB entries already
            if (orders[i] == 0) t.setOrder(g, 512, PageOrder.ORDER_4K);
            else if (orders[i] == 9 && t.order(g) == PageOrder.ORDER_1G) t.setOrder(g, 512, PageOrder.ORDER_2M);
        }
        return t;
    }

    final P2mTable p2m;

    @Override
    public P2m p2m() {
        return p2m;
    }

    /** "128 x 2M, 0 x 4K-backed 2 MiB chunks"-style summary of {@link #chunkOrders}. */
    String ordersSummary() {
        int[] o = chunkOrders();
        long g = 0, m = 0, k = 0;
        for (int x : o) {
            if (x == 18) g++;
            else if (x == 9) m++;
            else k++;
        }
        return (g > 0 ? g / 512 + " x 1G, " : "") + m + " x 2M, " + k + " x 2 MiB on 4K pages";
    }

    @Override
    public int domainId() {
        return domid;
    }

    /** What the balloon left the guest (accounted to the host's budget); the RAM stays mapped whole. */
    private long held;

    @Override
    public synchronized long sizeBytes() {
        return held;
    }

    /** The guest's RAM size as created: the layout, the memory slot, RSI at entry, the save file. */
    long ramBytes() {
        return size;
    }

    /**
     * The balloon moved to {@code bytes}: pages above it go back to the host (MADV_DONTNEED drops
     * them from this process), pages below it come back into the budget. It grows at most to the
     * RAM the guest was created with (the mapping and the memory slot are of that size).
     */
    @Override
    public synchronized void resize(long bytes) {
        if (closed) throw new IllegalStateException("domain " + domid + "'s memory was returned");
        if (host == null) throw new UnsupportedOperationException("Domain-0 is this process: its memory cannot change size");
        long b = Math.min(Math.max(bytes, GuestAbi.MIN_RAM), size) & ~0xFFFL;
        if (b > held) {
            owner.take(b - held);
            // taken again: RAM in the p2m, 4K entries (the pages come back as the guest faults them
            // in; a later access change reads back the orders the host then gives)
            if (p2m != null) p2m.populate(held >>> 12, (b - held) >>> 12, PageOrder.ORDER_4K, P2mType.RAM);
        } else if (b < held) {
            int e = Native.madvise(host.asSlice(b, held - b), Native.MADV_DONTNEED);
            if (e != 0) throw new IllegalStateException("domain " + domid + ": giving " + (held - b) + " bytes back (madvise MADV_DONTNEED) failed: errno " + e);
            owner.give(held - b);
            if (p2m != null) p2m.unpopulate(b >>> 12, (held - b) >>> 12); // ballooned out: no backing any more
        }
        held = b;
    }

    /** The host view of guest-physical [gpa, gpa+len), or null when it is not RAM. */
    MemorySegment slice(long gpa, long len) {
        if (closed || host == null || gpa < 0 || len < 0 || gpa + len > size || gpa + len < gpa) return null;
        return host.asSlice(gpa, len);
    }

    /** Copies 4 KiB page {@code page} out (true) or in (false); false when the memory was returned meanwhile (never a read of an unmapped page). */
    synchronized boolean copyPage(long page, byte[] b, boolean out) {
        MemorySegment s = slice(page * 4096, b.length);
        if (s == null) return false;
        if (out) MemorySegment.copy(s, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, b, 0, b.length);
        else MemorySegment.copy(b, 0, s, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, b.length);
        return true;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (p2m != null) p2m.destroy();
        owner.release(this);
    }
}
