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
        this.host = host;
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
        owner.release(this);
    }
}
