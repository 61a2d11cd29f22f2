package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.iommu.DmaFault;
import org.hvkit.api.iommu.IommuOptions;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.api.pci.PciAddress;
import org.hvkit.hw.dma.internal.DmaEngine;
import org.hvkit.iommu.vtd.internal.VtdIommu;
import org.junit.jupiter.api.Test;

/**
 * The dma guest on KVM with its engine behind the real VT-d unit (hw-iommu-vtd) over the
 * platform's DMA target: the copy, faults recorded with reason and source id and logged as Xen
 * does, the fuzz confined to its own domain while another domain is in the same unit, and
 * sharept's consequence for a page made read-only through the p2m.
 */
class KvmVtdTest {
    static final PciAddress OTHER = PciAddress.parse("0000:03:01.0");

    record Assigned(CountingDevice device, VtdIommu unit, List<String> log) {}

    static Assigned assign(KvmRig rig, int domid, String options, PciAddress at) {
        List<String> log = new CopyOnWriteArrayList<>();
        VtdIommu unit = new VtdIommu(IommuOptions.parse(options), new boolean[] {true, true}, log::add);
        return assign(rig, domid, unit, log, at);
    }

    static Assigned assign(KvmRig rig, int domid, VtdIommu unit, List<String> log, PciAddress at) {
        DmaEngine e = new DmaEngine(at);
        e.connect(unit.attach(at, rig.platform.target(domid)));
        CountingDevice d = new CountingDevice(e);
        rig.platform.plug(domid, d);
        return new Assigned(d, unit, log);
    }

    @Test
    void copyWorksAndFaultsAreRecordedWithReasonAndSourceId() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.createPreserved("dma", "dma", "0 300ms", 16);
            Assigned a = assign(rig, d.id(), "on", KvmDmaTest.DEV);
            try (VtdIommu unit = a.unit) {
                assertTrue(KvmRig.waitFor(() -> rig.shutDown(d.id()), 30_000), "dma did not finish: " + rig.console());
                String console = String.join("\n", rig.console());
                assertEquals(1, rig.reported(d.id(), 0), "the guest's copy check: " + console);
                long ram = 16L << 20;
                assertEquals(2, rig.reported(d.id(), 4), "a write beyond its memory is a DMA write fault");
                int writeReason = (int) rig.reported(d.id(), 5);
                assertTrue(writeReason != 0, "the unit gave the reason");
                assertEquals(ram, rig.reported(d.id(), 6));
                assertEquals(1, rig.reported(d.id(), 7), "a read beyond it is a DMA read fault");
                assertEquals(2, rig.reported(d.id(), 10));
                List<DmaFault> faults = unit.faults();
                assertTrue(faults.stream().anyMatch(f -> f.source().equals(KvmDmaTest.DEV) && f.write() && f.pageAddress() == ram && f.reason() == writeReason), faults.toString());
                assertTrue(faults.stream().anyMatch(f -> f.source().equals(KvmDmaTest.DEV) && !f.write() && f.pageAddress() == ram + (1 << 20)), faults.toString());
                assertTrue(KvmRig.waitFor(() -> a.log.stream().anyMatch(l -> l.contains("Request device [0000:03:00.0] fault addr " + Long.toHexString(ram))), 5_000), a.log.toString());
                assertTrue(a.log.stream().anyMatch(l -> l.startsWith(String.format("DMAR:[fault reason %02xh]", writeReason))), a.log.toString());
            }
        }
    }

    /** Runs the probe (one copy to DST, a page the guest's CPU never touches) with DST made read-only in the p2m first. */
    static long[] probeReadOnlyDst(String options) throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.createPreserved("probe", "dma", "3 300ms", 16);
            KvmGuest g = KvmDmaTest.guest(rig, d.id());
            Assigned a = assign(rig, d.id(), options, KvmDmaTest.DEV);
            try (VtdIommu unit = a.unit) {
                g.memory.p2m.setAccess(DmaGuest_DST >>> 12, 1, P2mAccess.R);
                assertTrue(KvmRig.waitFor(() -> rig.shutDown(d.id()), 30_000), "probe did not finish: " + rig.console());
                byte[] dst = g.memory.readBytes(DmaGuest_DST, 8);
                long first = java.nio.ByteBuffer.wrap(dst).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
                return new long[] {rig.reported(d.id(), 1), rig.reported(d.id(), 2), rig.reported(d.id(), 3), first};
            }
        }
    }

    static final long DmaGuest_DST = 0x500000, DmaGuest_SRC = 0x400000, PATTERN = 0xD3A0_1D5A_C0FF_EE00L;

    @Test
    void underShareptAPageMadeReadOnlyInTheP2mRejectsADeviceWrite() throws Exception {
        long[] r = probeReadOnlyDst("sharept");
        assertEquals(4, r[0], "STATUS error");
        assertEquals(2, r[1], "ERROR: DMA write fault");
        assertEquals(5, r[2], "REASON 05h: the write bit is not set in the (shared) table");
        assertEquals(0, r[3], "nothing was written to the read-only page");
    }

    @Test
    void underNoShareptTheUnitsOwnTablesIgnoreTheAccessAsXensDo() throws Exception {
        long[] r = probeReadOnlyDst("no-sharept");
        assertEquals(2, r[0], "STATUS done: " + java.util.Arrays.toString(r));
        assertEquals(0, r[1]);
        assertEquals(DmaGuest_SRC ^ PATTERN, r[3], "the copy reached the page the CPU may only read");
    }

    @Test
    void theFuzzThroughTheUnitReachesNoOtherDomainNorTheHost() throws Exception {
        try (KvmRig rig = new KvmRig(null, false); Arena arena = Arena.ofConfined()) {
            DomainInfo by = rig.createPreserved("bystander", "writer", "0 256 1", 16);
            assertTrue(KvmRig.waitFor(() -> rig.shutDown(by.id()), 30_000), "writer did not finish: " + rig.console());
            MemorySegment byRam = KvmDmaTest.guest(rig, by.id()).memory.slice(0, 16L << 20);
            String before = KvmDmaFuzzTest.digest(byRam);
            MemorySegment canary = arena.allocate(8L << 20, 4096);
            for (long i = 0; i < canary.byteSize(); i += 8) canary.set(ValueLayout.JAVA_LONG, i, ~i * 0x9E3779B97F4A7C15L);
            String canaryBefore = KvmDmaFuzzTest.digest(canary);

            DomainInfo d = rig.createPreserved("fuzz", "dma", "1 300ms 20000", 16);
            List<String> log = new CopyOnWriteArrayList<>();
            try (VtdIommu unit = new VtdIommu(IommuOptions.DEFAULT, new boolean[] {true, true}, log::add)) {
                // the bystander is in the same unit with a device of its own (same bus, so the same context table)
                assign(rig, by.id(), unit, log, OTHER);
                Assigned a = assign(rig, d.id(), unit, log, KvmDmaTest.DEV);
                assertTrue(KvmRig.waitFor(() -> rig.shutDown(d.id()), 300_000), "the fuzz did not finish: " + rig.console());
                assertEquals(20000, rig.reported(d.id(), 16), String.join("\n", rig.console()));
                assertTrue(a.device.writes.get() >= 100_000, "register writes: " + a.device.writes.get());
                assertTrue(rig.reported(d.id(), 17) > 0 && rig.reported(d.id(), 18) > 10_000, "done " + rig.reported(d.id(), 17) + ", refused " + rig.reported(d.id(), 18));
                assertTrue(unit.faults().stream().allMatch(f -> f.source().equals(KvmDmaTest.DEV)), "only the fuzzing device faulted");
                assertTrue(!unit.faults().isEmpty());
            }
            assertEquals(before, KvmDmaFuzzTest.digest(byRam), "the bystander's memory changed");
            assertEquals(canaryBefore, KvmDmaFuzzTest.digest(canary), "host memory changed");
        }
    }
}
