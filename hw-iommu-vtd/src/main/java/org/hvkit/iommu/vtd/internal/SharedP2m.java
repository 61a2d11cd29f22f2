package org.hvkit.iommu.vtd.internal;

import org.hvkit.api.p2m.P2m;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.api.p2m.P2mRange;
import org.hvkit.api.p2m.P2mType;

/**
 * sharept (Xen's iommu_hap_pt_share): the context entry points at the domain's p2m itself, so the
 * unit sees exactly the R and W bits EPT has, access restrictions included (an {@code r} page
 * refuses a device write, reason 5). RAM only: emulated and direct MMIO are not DMA targets here.
 * The root is a page of table memory standing for the EPT root, so the context entry is real.
 */
final class SharedP2m implements SecondLevel {
    private final P2m p2m;
    private final long root;
    private final Runnable free;

    SharedP2m(P2m p2m, long root, Runnable free) {
        this.p2m = p2m;
        this.root = root;
        this.free = free;
    }

    @Override
    public long walk(long vpn) {
        if (vpn < 0 || vpn >= p2m.maxPages()) return 0;
        P2mRange e = p2m.entry(vpn);
        if (e.type() != P2mType.RAM) return 0;
        int bits = e.access().bits();
        int level = 1 + e.order().order() / 9;
        return Vtd.leaf(vpn, level, (bits & P2mAccess.READ) != 0, (bits & P2mAccess.WRITE) != 0);
    }

    @Override
    public boolean usesTableMemory() {
        return false;
    }

    @Override
    public void close() {
        free.run();
    }

    @Override
    public long root() {
        return root;
    }
}
