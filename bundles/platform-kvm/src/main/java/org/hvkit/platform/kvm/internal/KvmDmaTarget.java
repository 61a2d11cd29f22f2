package org.hvkit.platform.kvm.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.hvkit.api.iommu.DmaTarget;
import org.hvkit.api.p2m.P2m;

/**
 * One domain's RAM as a DMA-remapping unit reaches it on KVM: the hypervisor's own mapping of the
 * domain's memory (never protected: the unit has checked the p2m's access already), bounded by
 * what the balloon leaves the domain now.
 *
 * <p>Each copy holds the memory's monitor, which {@link KvmGuestMemory#resize} (madvise of the
 * pages given back) and {@link KvmGuestMemory#close} (munmap at destroy) take too: a DMA never
 * touches pages handed back to the host, and the mapping cannot go away under a copy. A copy is at
 * most what one request asks (the DMA engine: 4 KiB chunks), so the wait is short.
 */
final class KvmDmaTarget implements DmaTarget {
    private final int domid;
    private final KvmGuestMemory memory;
    /** The guest's page guard once its slots exist: a DMA write dirties pages KVM's dirty log never sees. */
    private volatile PageGuard guard;

    KvmDmaTarget(int domid, KvmGuestMemory memory) {
        this.domid = domid;
        this.memory = memory;
    }

    void guard(PageGuard g) {
        guard = g;
    }

    @Override
    public int domainId() {
        return domid;
    }

    @Override
    public P2m p2m() {
        return memory.p2m();
    }

    @Override
    public void read(long gpa, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        synchronized (memory) {
            MemorySegment.copy(range(gpa, len, "read"), JAVA_BYTE, 0, dst, off, len);
        }
    }

    @Override
    public void write(long gpa, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        synchronized (memory) {
            MemorySegment.copy(src, off, range(gpa, len, "write"), JAVA_BYTE, 0, len);
        }
        PageGuard g = guard;
        if (g != null) g.markDirty(gpa, len); // for a live migration's pre-copy: KVM logs only the vCPUs' writes
    }

    /** The host view of [gpa, gpa + len), checked against the memory the domain holds now. Holding the monitor. */
    private MemorySegment range(long gpa, int len, String what) {
        long held = memory.sizeBytes();
        if (gpa < 0 || len < 0 || gpa + len > held || gpa + len < gpa) {
            throw new IllegalArgumentException("DMA " + what + " of " + len + " bytes at guest-physical 0x" + Long.toHexString(gpa)
                    + " is outside domain " + domid + "'s memory [0, 0x" + Long.toHexString(held) + ")");
        }
        MemorySegment s = memory.slice(gpa, len);
        if (s == null) throw new IllegalStateException("DMA " + what + " at guest-physical 0x" + Long.toHexString(gpa) + ": domain " + domid + "'s memory is gone");
        return s;
    }
}
