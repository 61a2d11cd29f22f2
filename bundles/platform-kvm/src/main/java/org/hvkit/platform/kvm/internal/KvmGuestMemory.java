package org.hvkit.platform.kvm.internal;

import java.lang.foreign.MemorySegment;
import org.hvkit.api.memory.GuestMemory;

/**
 * One domain's RAM: guest-physical 0 up to its size, backed by one anonymous host mapping.
 * Every access of the hypervisor to guest memory goes through {@link #slice}, the one place where
 * per-page permissions or DMA remapping will be checked later; the memory slots handed to KVM are
 * derived from {@link #host} by the VM.
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
        this.host = backing == null ? null : backing.mapping;
        this.guard = host == null ? null : new PageGuard(host);
    }

    /** Per-page protection of the guest's view (null for Domain-0). */
    final PageGuard guard;

    /**
     * Guest RAM [gpa, gpa + len) as the hypervisor reads it, whatever the guest may access; null
     * when the range is not RAM.
     */
    byte[] readBytes(long gpa, int len) {
        if (slice(gpa, len) == null) return null;
        byte[] b = new byte[len];
        guard.read(gpa, b);
        return b;
    }

    /**
     * The page order the host really backs each 2 MiB chunk of RAM with, read back from the
     * kernel: 18 for a 1 GiB hugetlb page, 9 for a 2 MiB page table entry, 0 for 4 KiB pages.
     */
    int[] chunkOrders() {
        if (host == null) return new int[0];
        int n = (int) (host.byteSize() / RamBacking.MIB2);
        java.util.BitSet huge = HostPageOrders.hugeChunks(host);
        int[] o = new int[n];
        long gibChunks = backing.hugetlbBytes / RamBacking.MIB2;
        for (int i = 0; i < n; i++) o[i] = !huge.get(i) ? 0 : i < gibChunks ? 18 : 9;
        return o;
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

    @Override
    public long sizeBytes() {
        return size;
    }

    /** The host view of guest-physical [gpa, gpa+len), or null when it is not RAM. */
    MemorySegment slice(long gpa, long len) {
        if (closed || host == null || gpa < 0 || len < 0 || gpa + len > size || gpa + len < gpa) return null;
        return host.asSlice(gpa, len);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (guard != null) guard.close();
        owner.release(this);
    }
}
