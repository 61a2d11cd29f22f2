package org.hvkit.iommu.vtd.internal;

import static org.hvkit.iommu.vtd.internal.Vtd.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.hvkit.api.pci.PciAddress;

/**
 * The DMA-remapping unit of one PCI segment (a DRHD): its root table (256 root entries by bus,
 * each pointing at a context table of 256 entries by devfn, 16 bytes each in table memory), the
 * context cache, the IOTLB and the fault-recording registers.
 *
 * <p>Everything mutable is guarded by the host-wide {@code lock}, except the lock-free hit path of
 * {@link #context} and {@link #page}.
 */
final class DmarUnit {
    /** A cached context entry: the domain id and the space it points at (never a not-present one). */
    record Ctx(int did, DomainSpace space, boolean fpd) {
        boolean ok() {
            return space != null;
        }

        /** The fault reason of a context that failed (did holds minus it). */
        int reason() {
            return -did;
        }
    }

    private static final Ctx[] FAULT = new Ctx[16];

    static {
        for (int r = 0; r < FAULT.length; r++) FAULT[r] = new Ctx(-r, null, false);
    }

    final int segment;
    final long cap;
    final boolean sps2m, sps1g;
    /** The fake virtual address of the register page, for Xen's "iommu reg = %p". */
    final long regVa;
    private final Object lock;
    private final TableMemory mem;
    private final Map<Integer, DomainSpace> spaces; // by did, host-wide
    private final long rootTable;
    private final AtomicReferenceArray<Ctx> ctxCache = new AtomicReferenceArray<>(1 << 16);
    final Iotlb iotlb = new Iotlb();
    /** FRCD registers: low word page address, high word F, T, FR, SID. */
    private final long[] frcd = new long[NFR * 2];
    private int fsts, fri, nextRecord;
    long recorded, dropped, contextInvalidations;
    private final Runnable faultPending;

    DmarUnit(int segment, boolean sps2m, boolean sps1g, Object lock, TableMemory mem, Map<Integer, DomainSpace> spaces, Runnable faultPending) {
        this.segment = segment;
        this.sps2m = sps2m;
        this.sps1g = sps1g;
        this.cap = Vtd.cap(sps2m, sps1g);
        this.regVa = 0xffff82c3fff57000L - (long) segment * 0x1000;
        this.lock = lock;
        this.mem = mem;
        this.spaces = spaces;
        this.faultPending = faultPending;
        synchronized (lock) {
            this.rootTable = mem.alloc();
        }
    }

    // ---- table updates (under the lock)

    /** Points the context entry of {@code dev} at {@code space}; the caller checked it was not present. */
    void setContext(PciAddress dev, DomainSpace space) {
        long ctp = contextTable(dev.bus(), true);
        mem.write(ctp, dev.devfn() * 2, space.tables.root() | (long) 0 << CTX_TT_SHIFT | CTX_P);
        mem.write(ctp, dev.devfn() * 2 + 1, (long) space.did << 8 | AW_48);
        invalidateContextDevice(dev.sourceId());
        iotlb.invalidateDomain(space.did);
    }

    /** Clears the context entry of {@code dev}, then the context cache for it and the IOTLB of its domain. */
    void clearContext(PciAddress dev, int did) {
        long ctp = contextTable(dev.bus(), false);
        if (ctp != 0) {
            mem.write(ctp, dev.devfn() * 2, 0);
            mem.write(ctp, dev.devfn() * 2 + 1, 0);
        }
        invalidateContextDevice(dev.sourceId());
        iotlb.invalidateDomain(did);
    }

    /** The domain id the context entry of {@code dev} holds, or -1 when not present. */
    int contextDid(PciAddress dev) {
        long ctp = contextTable(dev.bus(), false);
        if (ctp == 0) return -1;
        long lo = mem.read(ctp, dev.devfn() * 2);
        return (lo & CTX_P) == 0 ? -1 : (int) (mem.read(ctp, dev.devfn() * 2 + 1) >>> 8) & 0xffff;
    }

    private long contextTable(int bus, boolean create) {
        long root = mem.read(rootTable, bus * 2);
        if ((root & ROOT_P) != 0) return root & ADDR_MASK;
        if (!create) return 0;
        long ctp = mem.alloc();
        mem.write(rootTable, bus * 2, ctp | ROOT_P);
        return ctp;
    }

    /** The raw 16-byte context entry of {@code dev} (lo, hi), zeros when its bus has no context table. */
    long[] contextEntry(PciAddress dev) {
        synchronized (lock) {
            long ctp = contextTable(dev.bus(), false);
            return ctp == 0 ? new long[2] : new long[] {mem.read(ctp, dev.devfn() * 2), mem.read(ctp, dev.devfn() * 2 + 1)};
        }
    }

    long rootEntry(int bus) {
        synchronized (lock) {
            return mem.read(rootTable, bus * 2);
        }
    }

    // ---- invalidation (CCMD and IOTLB registers' granularities)

    void invalidateContextGlobal() {
        synchronized (lock) {
            for (int i = 0; i < 1 << 16; i++) ctxCache.set(i, null);
            contextInvalidations++;
        }
    }

    void invalidateContextDomain(int did) {
        synchronized (lock) {
            for (int i = 0; i < 1 << 16; i++) {
                Ctx c = ctxCache.get(i);
                if (c != null && c.did() == did) ctxCache.set(i, null);
            }
            contextInvalidations++;
        }
    }

    /** Under the lock (or taking it). */
    void invalidateContextDevice(int sid) {
        synchronized (lock) {
            ctxCache.set(sid, null);
            contextInvalidations++;
        }
    }

    boolean contextCached(int sid) {
        return ctxCache.get(sid) != null;
    }

    // ---- translation

    /** The context of {@code sid}: cached, or read from the tables (then cached); or, the fault recorded, a failed one with its reason. */
    Ctx context(int sid, long iova, boolean write) {
        Ctx c = ctxCache.get(sid);
        if (c != null) return c;
        int reason;
        synchronized (lock) {
            c = ctxCache.get(sid);
            if (c != null) return c;
            reason = readContext(sid);
            if (reason == 0) return ctxCache.get(sid);
            record(sid, iova, write, reason, false);
        }
        return FAULT[reason];
    }

    /** Under the lock: walks root and context entry of {@code sid}; caches it and returns 0, or a fault reason. */
    private int readContext(int sid) {
        long root = mem.read(rootTable, (sid >>> 8) * 2);
        if ((root & ROOT_P) == 0) return R_ROOT_NOT_PRESENT;
        long ctp = root & ADDR_MASK;
        if (!mem.valid(ctp)) return 9; // context table pointer invalid
        int devfn = sid & 0xff;
        long lo = mem.read(ctp, devfn * 2), hi = mem.read(ctp, devfn * 2 + 1);
        if ((lo & CTX_P) == 0) return R_CTX_NOT_PRESENT;
        if ((lo >>> CTX_TT_SHIFT & 3) != 0 || (hi & 7) != AW_48) return R_CTX_INVALID; // only multi-level translation, 48-bit
        int did = (int) (hi >>> 8) & 0xffff;
        DomainSpace s = spaces.get(did);
        if (s == null || s.tables.root() != (lo & ADDR_MASK)) return R_NEXT_PTR_INVALID;
        ctxCache.set(sid, new Ctx(did, s, (lo & CTX_FPD) != 0));
        return 0;
    }

    /**
     * The guest frame {@code iova}'s page reaches for a read or write through context {@code c},
     * or minus the fault reason (the fault recorded). A hit in the IOTLB takes no lock.
     */
    long page(Ctx c, int sid, long iova, boolean write) {
        if (iova >>> MGAW != 0) return fault(c, sid, iova, write, R_BEYOND_MGAW);
        long vpn = iova >>> 12;
        long leaf = iotlb.lookup(c.did(), vpn);
        if (leaf < 0) leaf = walk(c, vpn);
        if (leaf < 0) return fault(c, sid, iova, write, (int) -leaf);
        if (write ? !leafW(leaf) : !leafR(leaf)) return fault(c, sid, iova, write, write ? R_NO_WRITE : R_NO_READ);
        return leafGfn(leaf);
    }

    /** The leaf for {@code vpn} (cached or walked), nothing recorded. */
    long peek(Ctx c, long vpn) {
        long leaf = iotlb.lookup(c.did(), vpn);
        return leaf >= 0 ? leaf : walk(c, vpn);
    }

    private long walk(Ctx c, long vpn) {
        SecondLevel t = c.space().tables;
        long leaf;
        long seq = iotlb.seq();
        if (t.usesTableMemory()) {
            synchronized (lock) {
                leaf = t.walk(vpn);
                iotlb.misses++;
                if (leaf > 0 && (leaf & 3) != 0) iotlb.fill(c.did(), vpn, leaf, seq);
            }
            return leaf;
        }
        leaf = t.walk(vpn); // the p2m, under its own lock: never while holding ours (its listeners take ours)
        synchronized (lock) {
            iotlb.misses++;
            if (leaf > 0 && (leaf & 3) != 0) iotlb.fill(c.did(), vpn, leaf, seq);
        }
        return leaf;
    }

    private long fault(Ctx c, int sid, long iova, boolean write, int reason) {
        synchronized (lock) {
            record(sid, iova, write, reason, c.fpd());
        }
        return -reason;
    }

    // ---- fault recording

    /** Under the lock: fills the next fault-recording register, or sets PFO when it is still full. */
    void record(int sid, long iova, boolean write, int reason, boolean fpd) {
        if (fpd) return;
        int i = nextRecord;
        if ((frcd[2 * i + 1] & FRCD_F) != 0) {
            fsts |= FSTS_PFO;
            dropped++;
            return;
        }
        frcd[2 * i] = iova & ~0xfffL;
        frcd[2 * i + 1] = FRCD_F | (write ? 0 : FRCD_T) | (long) (reason & 0xff) << 32 | sid & 0xffff;
        if ((fsts & FSTS_PPF) == 0) {
            fsts |= FSTS_PPF;
            fri = i;
            faultPending.run();
        }
        nextRecord = (i + 1) % NFR;
        recorded++;
    }

    /** A fault read out of its register by the handler. */
    record Recorded(int sid, long pageAddress, boolean write, int reason) { }

    /**
     * Xen's __do_iommu_page_fault: from FRI on, reads each register with F set, clears F, and
     * finally clears PFO (write-1-to-clear). Returns what it read, oldest first, and the FSTS it saw.
     */
    List<Recorded> service(int[] fstsSeen) {
        List<Recorded> out = new ArrayList<>();
        synchronized (lock) {
            fstsSeen[0] = fsts;
            if ((fsts & FSTS_PPF) != 0) {
                int i = fri;
                for (int n = 0; n < NFR; n++, i = (i + 1) % NFR) {
                    long hi = frcd[2 * i + 1];
                    if ((hi & FRCD_F) == 0) break;
                    out.add(new Recorded((int) hi & 0xffff, frcd[2 * i], (hi & FRCD_T) == 0, (int) (hi >>> 32) & 0xff));
                    frcd[2 * i + 1] = hi & ~FRCD_F;
                }
                fsts &= ~FSTS_PPF;
                for (int j = 0; j < NFR; j++) {
                    if ((frcd[2 * j + 1] & FRCD_F) != 0) { // recorded meanwhile out of order: still pending
                        fsts |= FSTS_PPF;
                        fri = j;
                    }
                }
            }
            fsts &= ~FSTS_PFO;
        }
        return out;
    }

    /** FSTS as software reads it: PFO bit 0, PPF bit 1, FRI bits 15:8. */
    int fsts() {
        synchronized (lock) {
            return fsts | fri << 8;
        }
    }

    /** The high word of fault-recording register {@code i}. */
    long frcdHigh(int i) {
        synchronized (lock) {
            return frcd[2 * i + 1];
        }
    }

    long frcdLow(int i) {
        synchronized (lock) {
            return frcd[2 * i];
        }
    }

    void freeTables() {
        synchronized (lock) {
            for (int bus = 0; bus < 256; bus++) {
                long r = mem.read(rootTable, bus * 2);
                if ((r & ROOT_P) != 0) mem.free(r & ADDR_MASK);
            }
            mem.free(rootTable);
            for (int i = 0; i < 1 << 16; i++) ctxCache.set(i, null);
            iotlb.invalidateAll();
        }
    }
}
