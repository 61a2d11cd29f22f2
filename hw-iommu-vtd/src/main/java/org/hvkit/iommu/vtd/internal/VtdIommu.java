package org.hvkit.iommu.vtd.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.hvkit.api.iommu.DmaFault;
import org.hvkit.api.iommu.DmaTarget;
import org.hvkit.api.iommu.Iommu;
import org.hvkit.api.iommu.IommuOptions;
import org.hvkit.api.p2m.P2m;
import org.hvkit.api.p2m.P2mChange;
import org.hvkit.api.p2m.P2mListener;
import org.hvkit.api.p2m.P2mRange;
import org.hvkit.api.pci.DmaPort;
import org.hvkit.api.pci.PciAddress;
import org.hvkit.api.toolstack.Hypervisor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VT-d {@link Iommu}: a {@link DmarUnit} per PCI segment (made when the first device of the
 * segment is attached), domains' address spaces shared by all units (one VT-d domain id per
 * domain, as Xen's hd->pgd_maddr), table memory, and the fault handler (Xen's fault tasklet: a
 * thread woken when a unit's PPF goes up, or run by {@link #faults()}), which writes Xen's DMAR
 * lines to the hypervisor console.
 *
 * <p>Options ({@code hvkit.iommu}): sharept (the default) points context entries at the p2m;
 * it is turned off, as Xen does, when the unit's superpage sizes (CAP.SLLPS) differ from EPT's
 * (2 MiB and 1 GiB). {@code hvkit.iommu.vtd.sllps}: the sizes the units have, {@code 2M,1G}
 * (default), {@code 2M} or {@code none}.
 */
@Component(service = Iommu.class)
public final class VtdIommu implements Iommu, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VtdIommu.class);
    static final String SLLPS_PROPERTY = "hvkit.iommu.vtd.sllps";
    static final int MAX_FAULTS = 1024;
    static final int TABLE_PAGES = 1 << 16;

    private final Object lock = new Object();
    private final TableMemory mem = new TableMemory(TABLE_PAGES);
    private final Map<Integer, DmarUnit> units = new TreeMap<>();            // by segment, under lock
    private final Map<Integer, DomainSpace> spaces = new ConcurrentHashMap<>(); // by did; written under lock
    private final Map<Integer, DomainSpace> byDomid = new HashMap<>();        // under lock
    private final Map<PciAddress, DomainSpace> attached = new HashMap<>();   // under lock
    private final ArrayDeque<DmaFault> faults = new ArrayDeque<>();         // under itself
    private final Consumer<String> console;
    private final IommuOptions options;
    private final boolean sps2m, sps1g, sharept;
    private final Semaphore pending = new Semaphore(0);
    private final Thread handler;
    private volatile boolean stopped;
    private int nextDid = 1;

    @Activate
    public VtdIommu(@Reference Hypervisor hv, BundleContext bc) {
        this(safeOptions(bc.getProperty(IommuOptions.PROPERTY)), sllps(bc.getProperty(SLLPS_PROPERTY)), hv::printk);
    }

    /** @param sllps the superpage sizes of the units' CAP.SLLPS: {2M, 1G} */
    public VtdIommu(IommuOptions options, boolean[] sllps, Consumer<String> console) {
        this.options = options;
        this.sps2m = sllps[0];
        this.sps1g = sllps[0] && sllps[1]; // 1 GiB without 2 MiB is not a combination VT-d units have
        this.console = console;
        // Xen's vtd_ept_page_compatible: sharing needs the same superpage sizes as EPT (2 MiB and 1 GiB here)
        this.sharept = options.sharept() && sps2m && sps1g;
        console.accept("Intel VT-d supported page sizes: 4kB" + (sps2m ? ", 2MB" : "") + (sps1g ? ", 1GB" : "") + ".");
        console.accept("Intel VT-d Shared EPT tables " + (sharept ? "" : "not ") + "enabled.");
        this.handler = Thread.ofPlatform().daemon().name("hvkit-vtd-faults").start(this::handleFaults);
    }

    /** A bad hvkit.iommu refuses start-up in the core; here it only means the defaults. */
    private static IommuOptions safeOptions(String v) {
        try {
            return IommuOptions.parse(v);
        } catch (IllegalArgumentException e) {
            return IommuOptions.DEFAULT; // said once, by the core's refusal
        }
    }

    static boolean[] sllps(String v) {
        if (v == null || v.isBlank()) return new boolean[] {true, true};
        return switch (v.strip().toUpperCase(java.util.Locale.ROOT)) {
            case "2M,1G", "1G,2M" -> new boolean[] {true, true};
            case "2M" -> new boolean[] {true, false};
            case "NONE" -> new boolean[] {false, false};
            default -> {
                LOG.warn("{}={}: expected 2M,1G, 2M or none (using 2M,1G)", SLLPS_PROPERTY, v);
                yield new boolean[] {true, true};
            }
        };
    }

    public boolean sharept() {
        return sharept;
    }

    boolean stopped() {
        return stopped;
    }

    @Override
    public String name() {
        return "VT-d";
    }

    // ---- assignment

    @Override
    public DmaPort attach(PciAddress device, DmaTarget target) {
        DomainSpace space;
        DmarUnit unit;
        boolean created;
        synchronized (lock) {
            if (stopped) throw new IllegalStateException("VT-d: the unit has stopped; cannot attach " + device);
            DomainSpace owner = attached.get(device);
            if (owner != null) throw new IllegalStateException(device + " is already attached to domain " + owner.domid);
            unit = unit(device.segment());
            space = byDomid.get(target.domainId());
            created = space == null;
            if (created) space = newSpace(target);
            unit.setContext(device, space);
            space.devices++;
            attached.put(device, space);
        }
        if (created) follow(space);
        if (options.verbose()) console.accept("[VT-D] d" + target.domainId() + ": map " + device + " (domain id " + space.did + ", " + (sharept ? "p2m shared" : "own tables") + ")");
        return new UnitPort(this, unit, device);
    }

    private DmarUnit unit(int segment) {
        return units.computeIfAbsent(segment, s -> new DmarUnit(s, sps2m, sps1g, lock, mem, spaces, pending::release));
    }

    /** Under the lock. */
    private DomainSpace newSpace(DmaTarget target) {
        int did = nextDid;
        while (spaces.containsKey(did)) did = did % 0xffff + 1;
        nextDid = did % 0xffff + 1;
        SecondLevel tables;
        if (sharept) {
            long root = mem.alloc(); // stands for the EPT root the context entry points at
            tables = new SharedP2m(target.p2m(), root, () -> mem.free(root));
        } else {
            tables = new VtdTables(mem, sps2m, sps1g);
        }
        DomainSpace s = new DomainSpace(did, target, tables);
        spaces.put(did, s);
        byDomid.put(target.domainId(), s);
        return s;
    }

    /** Listens to the domain's p2m; for no-sharept also builds its tables (retried if the p2m changes meanwhile). */
    private void follow(DomainSpace s) {
        P2m p2m = s.target.p2m();
        P2mListener l = change -> changed(s, change);
        s.listener = l;
        p2m.addListener(l);
        if (sharept) return;
        while (true) {
            long seen;
            synchronized (lock) {
                if (s.built || spaces.get(s.did) != s) return;
                seen = s.changes;
            }
            List<P2mRange> runs = p2m.ranges(0, Math.min(p2m.maxPages(), 1L << 36));
            synchronized (lock) {
                if (spaces.get(s.did) != s) return;
                if (s.changes == seen) {
                    ((VtdTables) s.tables).apply(runs);
                    s.built = true;
                    invalidateIotlbDomain(s.did);
                    return;
                }
            }
        }
    }

    /** A p2m change, on the changing thread under the p2m's lock: keep tables in step and drop what is cached. */
    private void changed(DomainSpace s, P2mChange c) {
        if (c.kind() == P2mChange.Kind.DESTROY) {
            synchronized (lock) {
                invalidateIotlbDomain(s.did);
            }
            return;
        }
        List<P2mRange> runs = null;
        if (!sharept && c.kind() != P2mChange.Kind.ACCESS) runs = s.target.p2m().ranges(c.firstGfn(), c.pages());
        synchronized (lock) {
            if (spaces.get(s.did) != s) return;
            if (!sharept) {
                if (c.kind() == P2mChange.Kind.ACCESS) return; // no-sharept: the unit's tables do not carry the p2m's access
                s.changes++;
                if (s.built) ((VtdTables) s.tables).apply(runs);
            }
            for (DmarUnit u : units.values()) u.iotlb.invalidatePages(s.did, c.firstGfn(), c.pages());
        }
    }

    @Override
    public void detach(PciAddress device) {
        DomainSpace gone = null;
        synchronized (lock) {
            DomainSpace s = attached.remove(device);
            if (s == null) return;
            units.get(device.segment()).clearContext(device, s.did);
            if (--s.devices == 0) {
                spaces.remove(s.did);
                byDomid.remove(s.domid);
                for (DmarUnit u : units.values()) {
                    u.invalidateContextDomain(s.did);
                    u.iotlb.invalidateDomain(s.did);
                }
                s.tables.close();
                gone = s;
            }
        }
        if (options.verbose()) console.accept("[VT-D] d" + (gone != null ? gone.domid : "?") + ": unmap " + device);
        if (gone != null && gone.listener != null) gone.target.p2m().removeListener(gone.listener);
    }

    /** The domain the device is attached to, or -1. */
    public int owner(PciAddress device) {
        synchronized (lock) {
            DomainSpace s = attached.get(device);
            return s == null ? -1 : s.domid;
        }
    }

    @Override
    public Translation translate(PciAddress device, long address, boolean write) {
        DmarUnit unit;
        synchronized (lock) {
            unit = stopped ? null : units.get(device.segment());
        }
        int reason;
        long gfn = -1;
        boolean r = false, w = false;
        if (unit == null) {
            reason = 1; // no unit for the segment: nothing present
        } else {
            DmarUnit.Ctx c = unit.context(device.sourceId(), address, write);
            if (!c.ok()) {
                reason = c.reason();
            } else {
                long g = unit.page(c, device.sourceId(), address, write);
                reason = g < 0 ? (int) -g : 0;
                if (g >= 0) {
                    long leaf = unit.peek(c, address >>> 12);
                    gfn = g;
                    r = Vtd.leafR(leaf);
                    w = Vtd.leafW(leaf);
                }
            }
        }
        if (reason != 0) return new Translation(-1, false, false, new DmaFault(device, address & ~0xfffL, write, reason, System.nanoTime()));
        return new Translation(gfn, r, w, null);
    }

    @Override
    public void invalidateDomain(int domid) {
        synchronized (lock) {
            DomainSpace s = byDomid.get(domid);
            if (s != null) invalidateIotlbDomain(s.did);
        }
    }

    /** Under the lock. */
    private void invalidateIotlbDomain(int did) {
        for (DmarUnit u : units.values()) u.iotlb.invalidateDomain(did);
    }

    /** The unit of {@code segment}, or null before a device of it was attached (tests, benchmarks). */
    DmarUnit unitOf(int segment) {
        synchronized (lock) {
            return units.get(segment);
        }
    }

    int tablePagesUsed() {
        synchronized (lock) {
            return mem.usedPages();
        }
    }

    // ---- faults

    @Override
    public List<DmaFault> faults() {
        serviceFaults();
        synchronized (faults) {
            return List.copyOf(faults);
        }
    }

    private void handleFaults() {
        while (!stopped) {
            try {
                pending.acquire();
                pending.drainPermits();
            } catch (InterruptedException e) {
                if (stopped) return;
                continue;
            }
            try {
                serviceFaults();
            } catch (RuntimeException e) {
                LOG.error("VT-d fault handler", e);
            }
        }
    }

    /** Xen's do_iommu_page_fault over every unit: read out the records, log them, clear them. */
    void serviceFaults() {
        List<DmarUnit> all;
        synchronized (lock) {
            all = new ArrayList<>(units.values());
        }
        for (DmarUnit u : all) {
            int[] fsts = new int[1];
            List<DmarUnit.Recorded> rs;
            synchronized (u) { // one handler at a time per unit, so lines come out in record order
                rs = u.service(fsts);
                if (options.debug()) {
                    if ((fsts[0] & Vtd.FSTS_PFO) != 0) console.accept("[VT-D]iommu.c:893: iommu_fault_status: Fault Overflow");
                    if ((fsts[0] & Vtd.FSTS_PPF) != 0) console.accept("[VT-D]iommu.c:895: iommu_fault_status: Primary Pending Fault");
                }
                for (DmarUnit.Recorded r : rs) {
                    for (String line : FaultLog.lines(u, r)) console.accept(line);
                }
                // still under the unit's monitor: a faults() call racing with the handler thread sees these once it returns
                synchronized (faults) {
                    for (DmarUnit.Recorded r : rs) {
                        if (faults.size() == MAX_FAULTS) faults.removeFirst();
                        faults.addLast(new DmaFault(new PciAddress(u.segment, r.sid() >>> 8, r.sid() >>> 3 & 0x1f, r.sid() & 7), r.pageAddress(), r.write(), r.reason(), System.nanoTime()));
                    }
                }
            }
        }
    }

    // ---- stop

    @Deactivate
    @Override
    public void close() {
        List<DomainSpace> gone;
        synchronized (lock) {
            if (stopped) return;
            stopped = true; // every port faults from here on, before any table is taken down
            gone = new ArrayList<>(byDomid.values());
            for (DmarUnit u : units.values()) u.freeTables();
            for (DomainSpace s : gone) s.tables.close();
            spaces.clear();
            byDomid.clear();
            attached.clear();
        }
        for (DomainSpace s : gone) if (s.listener != null) s.target.p2m().removeListener(s.listener);
        handler.interrupt();
        console.accept("[VT-D] DMA remapping stopped: every assigned device is blocked");
    }
}
