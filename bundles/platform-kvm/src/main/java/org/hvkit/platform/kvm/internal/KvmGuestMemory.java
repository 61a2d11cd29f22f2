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

    KvmGuestMemory(KvmHostMemory owner, int domid, long size, MemorySegment host) {
        this.owner = owner;
        this.domid = domid;
        this.size = size;
        this.held = size;
        this.host = host;
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
        if (b > held) owner.take(b - held);
        else if (b < held) {
            Native.madvise(host.asSlice(b, held - b), Native.MADV_DONTNEED);
            owner.give(held - b);
        }
        held = b;
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
        owner.release(this);
    }
}
