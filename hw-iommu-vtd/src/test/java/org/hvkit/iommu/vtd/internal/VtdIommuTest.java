package org.hvkit.iommu.vtd.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hvkit.api.iommu.DmaFault;
import org.hvkit.api.iommu.Iommu;
import org.hvkit.api.iommu.IommuOptions;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.api.p2m.P2mType;
import org.hvkit.api.p2m.PageOrder;
import org.hvkit.api.pci.DmaFaultException;
import org.hvkit.api.pci.DmaPort;
import org.hvkit.api.pci.PciAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VtdIommuTest {
    static final PciAddress DEV = PciAddress.parse("0000:03:00.0");
    static final PciAddress DEV1 = PciAddress.parse("0001:03:00.0");
    final List<String> console = Collections.synchronizedList(new ArrayList<>());
    VtdIommu iommu;

    VtdIommu iommu(String options, boolean sps2m, boolean sps1g) {
        iommu = new VtdIommu(IommuOptions.parse(options), new boolean[] {sps2m, sps1g}, console::add);
        return iommu;
    }

    @AfterEach
    void stop() {
        if (iommu != null) iommu.close();
    }

    static DmaFaultException faultOf(ThrowingRunnable r) {
        return assertThrows(DmaFaultException.class, r::run);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void dmaInsideTheDomainReachesItsMemory() throws Exception {
        MemTarget d1 = new MemTarget(1, 4096); // 16 MiB
        DmaPort port = iommu(null, true, true).attach(DEV, d1);
        byte[] data = new byte[10_000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        port.write(0x12345, data, 0, data.length); // crosses three page boundaries
        for (int i = 0; i < data.length; i++) assertEquals(data[i], d1.at(0x12345 + i), "byte " + i);
        byte[] back = new byte[10_000];
        port.read(0x12345, back, 0, back.length);
        assertArrayEquals(data, back);
        assertEquals(d1.at(0x12344), MemTarget.pattern(1, 0x12344));
        assertEquals(0, d1.outside);
        assertTrue(iommu.sharept());
        assertEquals(1, iommu.owner(DEV) == 1 ? 1 : 0);
        Iommu.Translation t = iommu.translate(DEV, 0x5000, true);
        assertTrue(t.ok());
        assertEquals(5, t.gfn());
        assertTrue(t.readable() && t.writable());
    }

    @Test
    void theContextEntryIsARealSixteenByteEntry() {
        MemTarget d1 = new MemTarget(7, 512);
        iommu(null, true, true).attach(DEV, d1);
        DmarUnit u = iommu.unitOf(0);
        long root = u.rootEntry(3);
        assertEquals(1, root & Vtd.ROOT_P);
        long[] ctx = u.contextEntry(DEV);
        assertEquals(Vtd.CTX_P, ctx[0] & 0xf, "present, translation type 0 (multi-level)");
        assertNotEquals(0, ctx[0] & Vtd.ADDR_MASK, "SLPTPTR");
        assertEquals(Vtd.AW_48, ctx[1] & 7);
        assertTrue((ctx[1] >>> 8 & 0xffff) > 0, "a domain id");
        assertEquals(0, u.rootEntry(4));
        iommu.detach(DEV);
        assertArrayEquals(new long[2], u.contextEntry(DEV));
        long cap = u.cap;
        assertEquals(Vtd.NFR - 1, cap >>> 40 & 0xff);
        assertEquals(47, cap >>> 16 & 0x3f);
        assertNotEquals(0, cap & Vtd.CAP_SLLPS_1G);
    }

    @Test
    void aDmaOutsideTheDomainFaultsWithReasonSourceAndXensLines() {
        MemTarget d1 = new MemTarget(1, 4096);
        DmaPort port = iommu(null, true, true).attach(DEV1, d1);
        long outside = 4096L << 12; // the first frame past the domain's memory
        DmaFaultException w = faultOf(() -> port.write(outside + 0x10, new byte[8], 0, 8));
        assertEquals(5, w.reason());
        assertEquals(outside + 0x10, w.iova());
        assertTrue(w.write());
        DmaFaultException r = faultOf(() -> port.read(outside - 4, new byte[8], 0, 8));
        assertEquals(6, r.reason());
        assertEquals(outside, r.iova(), "the first 4 bytes were read, the fault is at the next page");
        List<DmaFault> faults = iommu.faults();
        assertEquals(2, faults.size());
        assertEquals(new DmaFault(DEV1, outside, true, 5, faults.get(0).atNanos()), faults.get(0));
        assertEquals(new DmaFault(DEV1, outside, false, 6, faults.get(1).atNanos()), faults.get(1));
        assertTrue(console.contains("[VT-D]iommu.c:864: DMAR:[DMA Write] Request device [0001:03:00.0] fault addr 1000000, iommu reg = ffff82c3fff56000"), String.join("\n", console));
        assertTrue(console.contains("DMAR:[fault reason 05h] PTE Write access is not set"));
        assertTrue(console.contains("[VT-D]iommu.c:864: DMAR:[DMA Read] Request device [0001:03:00.0] fault addr 1000000, iommu reg = ffff82c3fff56000"));
        assertTrue(console.contains("DMAR:[fault reason 06h] PTE Read access is not set"));
        assertEquals(0, d1.outside, "the unit never passed an address outside the domain to the platform");
        assertFalse(iommu.translate(DEV1, outside, false).ok());
        assertEquals(6, iommu.translate(DEV1, outside, false).fault().reason());
    }

    @Test
    void contextAndRootFaultsAndTheAddressWidth() {
        MemTarget d1 = new MemTarget(1, 64);
        DmaPort port = iommu(null, true, true).attach(DEV, d1);
        assertEquals(4, faultOf(() -> port.read(1L << 48, new byte[1], 0, 1)).reason());
        assertEquals(4, faultOf(() -> port.read(-4096, new byte[1], 0, 1)).reason());
        assertEquals(2, iommu.translate(PciAddress.parse("0000:03:01.0"), 0, false).fault().reason(), "same bus, no context entry");
        assertEquals(1, iommu.translate(PciAddress.parse("0000:05:00.0"), 0, false).fault().reason(), "a bus without a context table");
        iommu.detach(DEV);
        DmaFaultException e = faultOf(() -> port.read(0, new byte[1], 0, 1));
        assertEquals(2, e.reason(), "detached: its context entry is gone, whatever the caches held");
        assertTrue(e.getMessage().contains("Present bit in context entry is clear"), e.getMessage());
        assertEquals(2, iommu.faults().stream().filter(f -> f.reason() == 4).count());
    }

    @Test
    void aDeviceCannotBeAttachedTwice() {
        MemTarget d1 = new MemTarget(1, 64), d2 = new MemTarget(2, 64);
        iommu(null, true, true).attach(DEV, d1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> iommu.attach(DEV, d2));
        assertEquals("0000:03:00.0 is already attached to domain 1", e.getMessage());
        iommu.detach(DEV);
        iommu.detach(DEV); // idempotent
        iommu.attach(DEV, d2);
        assertEquals(2, iommu.owner(DEV));
    }

    @Test
    void shareptAReadOnlyPageRefusesADeviceWriteReasonFive() throws Exception {
        MemTarget d1 = new MemTarget(1, 1024);
        DmaPort port = iommu("sharept", true, true).attach(DEV, d1);
        port.write(0x3000, new byte[] {1}, 0, 1); // cached in the IOTLB as writable
        d1.p2m.setAccess(3, 1, P2mAccess.R);
        DmaFaultException e = faultOf(() -> port.write(0x3000, new byte[] {2}, 0, 1));
        assertEquals(5, e.reason());
        assertEquals(1, d1.at(0x3000));
        byte[] b = new byte[1];
        port.read(0x3000, b, 0, 1);
        assertEquals(1, b[0]);
        d1.p2m.setAccess(4, 1, P2mAccess.X);
        assertEquals(6, faultOf(() -> port.read(0x4000, b, 0, 1)).reason());
        d1.p2m.setAccess(3, 1, P2mAccess.RWX);
        port.write(0x3000, new byte[] {2}, 0, 1);
        assertEquals(2, d1.at(0x3000));
    }

    @Test
    void noShareptTheUnitsTablesDoNotCarryTheAccess() throws Exception {
        MemTarget d1 = new MemTarget(1, 1024);
        DmaPort port = iommu("no-sharept", true, true).attach(DEV, d1);
        assertFalse(iommu.sharept());
        d1.p2m.setAccess(3, 1, P2mAccess.R);
        port.write(0x3000, new byte[] {9}, 0, 1); // Xen: the IOMMU's own tables map RAM read-write
        assertEquals(9, d1.at(0x3000));
        // but they follow the mappings: an unpopulated frame is gone for the device too
        port.write(0x5000, new byte[] {1}, 0, 1);
        d1.p2m.unpopulate(5, 1);
        assertEquals(5, faultOf(() -> port.write(0x5000, new byte[] {1}, 0, 1)).reason());
        d1.p2m.populate(5, 1, PageOrder.ORDER_4K, P2mType.RAM);
        port.write(0x5000, new byte[] {3}, 0, 1);
    }

    @Test
    void shareptIsTurnedOffWhenTheSuperpageSizesDifferFromEpts() {
        iommu("sharept", true, false);
        assertFalse(iommu.sharept());
        assertTrue(console.contains("Intel VT-d Shared EPT tables not enabled."), String.join("\n", console));
        assertTrue(console.contains("Intel VT-d supported page sizes: 4kB, 2MB."));
    }

    @Test
    void ownTablesUseSuperpagesWhereSllpsHasThemAndTheP2mEntryIsOne() throws Exception {
        MemTarget d1 = new MemTarget(1, 3L << 18); // 3 GiB: 1 GiB entries
        d1.p2m.setOrder(1L << 18, 1L << 18, PageOrder.ORDER_2M); // the second GiB in 2 MiB entries
        d1.p2m.setOrder(2L << 18, 512, PageOrder.ORDER_4K);    // the third GiB's first 2 MiB in 4 KiB
        iommu("no-sharept", true, true).attach(DEV, d1);
        VtdTables t = (VtdTables) iommu.unitOf(0).context(DEV.sourceId(), 0, false).space().tables;
        long l3 = t.entry(5, 3);
        assertEquals(Vtd.SL_PS | Vtd.SL_R | Vtd.SL_W, l3 & 0xff, "a 1 GiB leaf at level 3");
        long l2 = t.entry((1L << 18) + 600, 2);
        assertEquals(Vtd.SL_PS | 3, l2 & 0xff, "a 2 MiB leaf at level 2");
        assertEquals((1L << 18) + 512, (l2 & Vtd.ADDR_MASK) >>> 12);
        long l1 = t.entry((2L << 18) + 7, 1);
        assertEquals(((2L << 18) + 7) << 12 | 3, l1);
        // a 4 KiB change inside a 1 GiB leaf splits it down to the 4 KiB entry, the rest still mapped
        d1.p2m.unpopulate(9, 1);
        assertEquals(0, t.entry(9, 1));
        assertEquals(10L << 12 | 3, t.entry(10, 1));
        assertEquals(Vtd.SL_PS | 3, t.entry(1000, 2) & 0xff, "the other 2 MiB of the split GiB stay superpages");
        // without 1 GiB pages in CAP.SLLPS the same p2m gets 2 MiB leaves; with none, 4 KiB ones
        iommu.close();
        MemTarget d2 = new MemTarget(2, 1L << 18);
        iommu("no-sharept", true, false).attach(DEV, d2);
        t = (VtdTables) iommu.unitOf(0).context(DEV.sourceId(), 0, false).space().tables;
        assertEquals(0, t.entry(5, 3) & Vtd.SL_PS);
        assertEquals(Vtd.SL_PS | 3, t.entry(5, 2) & 0xff);
        iommu.close();
        iommu("no-sharept", false, false).attach(DEV, new MemTarget(3, 1024));
        t = (VtdTables) iommu.unitOf(0).context(DEV.sourceId(), 0, false).space().tables;
        assertEquals(0, t.entry(5, 2) & Vtd.SL_PS);
        assertEquals(5L << 12 | 3, t.entry(5, 1));
    }

    @Test
    void theIotlbCachesAndEachInvalidationGranularityDropsWhatItCovers() throws Exception {
        MemTarget d1 = new MemTarget(1, 1024);
        DmaPort port = iommu(null, true, true).attach(DEV, d1);
        DmarUnit u = iommu.unitOf(0);
        byte[] b = new byte[1];
        port.read(0x1000, b, 0, 1);
        port.read(0x2000, b, 0, 1);
        long misses = u.iotlb.misses;
        port.read(0x1000, b, 0, 1);
        port.read(0x2000, b, 0, 1);
        assertEquals(misses, u.iotlb.misses, "hits");
        int did = u.context(DEV.sourceId(), 0, false).did();
        synchronized (lockOf()) {
            u.iotlb.invalidatePages(did, 1, 1);
        }
        port.read(0x2000, b, 0, 1);
        assertEquals(misses, u.iotlb.misses, "page-selective left page 2");
        port.read(0x1000, b, 0, 1);
        assertEquals(misses + 1, u.iotlb.misses);
        synchronized (lockOf()) {
            u.iotlb.invalidateDomain(did);
        }
        port.read(0x2000, b, 0, 1);
        assertEquals(misses + 2, u.iotlb.misses);
        synchronized (lockOf()) {
            u.iotlb.invalidateAll();
        }
        assertEquals(0, u.iotlb.size());
        assertTrue(u.contextCached(DEV.sourceId()));
        u.invalidateContextGlobal();
        assertFalse(u.contextCached(DEV.sourceId()));
        port.read(0x2000, b, 0, 1);
        assertTrue(u.contextCached(DEV.sourceId()), "read back from the context table");
        u.invalidateContextDomain(did);
        assertFalse(u.contextCached(DEV.sourceId()));
    }

    private Object lockOf() throws Exception {
        var f = VtdIommu.class.getDeclaredField("lock");
        f.setAccessible(true);
        return f.get(iommu);
    }

    @Test
    void faultRecordsOverflowUntilTheHandlerReadsThem() throws Exception {
        MemTarget d1 = new MemTarget(1, 16);
        iommu("debug", true, true);
        DmarUnit u;
        synchronized (lockOf()) {
            iommu.attach(DEV, d1);
            u = iommu.unitOf(0);
            // the handler thread cannot run while we hold the lock: fill every register, then one more
            for (int i = 0; i < Vtd.NFR + 3; i++) u.record(DEV.sourceId(), (100L + i) << 12, true, 5, false);
            assertEquals(Vtd.NFR, u.recorded);
            assertEquals(3, u.dropped);
        }
        int fsts = u.fsts();
        if ((fsts & Vtd.FSTS_PPF) != 0) { // the handler may already have read them
            assertEquals(Vtd.FSTS_PFO, fsts & Vtd.FSTS_PFO);
            assertEquals(Vtd.FRCD_F | 5L << 32 | DEV.sourceId(), u.frcdHigh(0));
            assertEquals(100L << 12, u.frcdLow(0));
        }
        List<DmaFault> f = iommu.faults();
        assertEquals(Vtd.NFR, f.size(), "the dropped ones are lost, as on hardware");
        assertEquals(100L << 12, f.get(0).pageAddress());
        assertEquals(107L << 12, f.get(Vtd.NFR - 1).pageAddress());
        assertEquals(0, u.fsts() & 3, "PPF and PFO cleared");
        assertEquals(0, u.frcdHigh(0) & Vtd.FRCD_F);
        assertTrue(console.contains("[VT-D]iommu.c:893: iommu_fault_status: Fault Overflow"), String.join("\n", console));
        assertTrue(console.contains("[VT-D]iommu.c:895: iommu_fault_status: Primary Pending Fault"));
        // after the handler, recording resumes
        DmaPort port = new UnitPort(iommu, u, DEV);
        faultOf(() -> port.write(100L << 12, new byte[1], 0, 1));
        assertEquals(Vtd.NFR + 1, iommu.faults().size());
    }

    @Test
    void aStoppedUnitLeavesEveryPortFaultingAndFreesItsTables() throws Exception {
        MemTarget d1 = new MemTarget(1, 64);
        DmaPort port = iommu("no-sharept", true, true).attach(DEV, d1);
        port.write(0, new byte[1], 0, 1);
        assertTrue(iommu.tablePagesUsed() > 3);
        iommu.close();
        DmaFaultException e = faultOf(() -> port.write(0, new byte[1], 0, 1));
        assertEquals(0, e.reason());
        assertTrue(e.getMessage().contains("stopped"), e.getMessage());
        assertEquals(0, iommu.tablePagesUsed());
        assertThrows(IllegalStateException.class, () -> iommu.attach(DEV, d1));
        assertTrue(console.contains("[VT-D] DMA remapping stopped: every assigned device is blocked"));
    }

    @Test
    void detachingTheLastDeviceOfADomainFreesItsTables() {
        iommu("no-sharept", true, true);
        int before = iommu.tablePagesUsed();
        MemTarget d1 = new MemTarget(1, 4096);
        iommu.attach(DEV, d1);
        iommu.attach(PciAddress.parse("0000:03:00.1"), d1);
        assertEquals(iommu.owner(DEV), 1);
        iommu.detach(DEV);
        assertTrue(iommu.tablePagesUsed() > before + 1, "the other function still uses them");
        iommu.detach(PciAddress.parse("0000:03:00.1"));
        assertEquals(before + 2, iommu.tablePagesUsed(), "the domain's tables are freed; the unit's root table and bus 3's context table stay");
    }
}
