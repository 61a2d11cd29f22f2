package org.hvkit.platform.kvm.internal;

import java.lang.foreign.MemorySegment;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.iommu.IommuOptions;
import org.hvkit.api.pci.PciAddress;
import org.hvkit.hw.dma.internal.DmaEngine;
import org.hvkit.iommu.vtd.internal.VtdIommu;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * DMA throughput on KVM (not a test by default: run with {@code -Dhvkit.bench=true}): 1 MiB copies
 * inside one domain's RAM, in the same run, (a) as a direct host copy of the mapping, (b) by the
 * DMA engine driven from a host thread, through {@link FlatPort} (identity, no translation) and
 * through the VT-d unit (sharept: IOTLB hits after the first pass), (c) by the dma guest
 * programming the engine from ring 3 through the unit (its exits included).
 */
class DmaFigures {
    static final int MIB = 1 << 20, COPIES = 256;

    @Test
    void figures() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("hvkit.bench"), "figures: run with -Dhvkit.bench=true");
        print();
    }

    static void print() throws Exception {
        KvmRig.assumeKvm();
        System.out.println("DMA figures on KVM, " + COPIES + " copies of 1 MiB" + (Kvm.isPvm() ? " -- PVM host (kvm_pvm, no VT-x/SVM): the guest-driven figure includes PVM's ring-3 MMIO exits" : ""));
        try (KvmRig rig = new KvmRig(null, false)) {
            for (int round = 0; round < 5; round++) {
                DomainInfo d = rig.createPreserved("dma-bench", "dma", "2 300ms " + COPIES + " " + MIB, 16);
                KvmGuest g = KvmDmaTest.guest(rig, d.id());
                try (VtdIommu unit = new VtdIommu(IommuOptions.DEFAULT, new boolean[] {true, true}, line -> { })) {
                    double direct = direct(g);
                    DmaEngine flat = new DmaEngine(PciAddress.parse("0000:03:02.0"));
                    flat.connect(new FlatPort(rig.platform.target(d.id())));
                    double viaFlat = hostDriven(flat);
                    DmaEngine e = new DmaEngine(KvmDmaTest.DEV);
                    e.connect(unit.attach(KvmDmaTest.DEV, rig.platform.target(d.id())));
                    double viaUnit = hostDriven(e);
                    CountingDevice dev = new CountingDevice(e);
                    rig.platform.plug(d.id(), dev);
                    if (!KvmRig.waitFor(() -> rig.shutDown(d.id()), 120_000)) throw new IllegalStateException("dma bench did not finish: " + rig.console());
                    long ns = rig.reported(d.id(), 20), bytes = rig.reported(d.id(), 21), failed = rig.reported(d.id(), 22);
                    double guest = bytes / (double) ns; // bytes per ns = GB/s
                    System.out.printf("round %d: direct copy %.2f GB/s | engine from a host thread: flat port %.2f GB/s (%.0f%%), VT-d unit %.2f GB/s (%.0f%%) | engine from the guest through the unit (ring 3, %d BAR accesses) %.2f GB/s (%.0f%%), %d failed%n",
                            round, direct, viaFlat, 100 * viaFlat / direct, viaUnit, 100 * viaUnit / direct, dev.writes.get() + dev.reads.get(), guest, 100 * guest / direct, failed);
                }
                rig.core.destroyDomain(d.id());
            }
        }
    }

    /** GB/s of MemorySegment.copy from 0x400000 to 0x500000 in the domain's mapping. */
    static double direct(KvmGuest g) {
        MemorySegment src = g.memory.slice(0x400000, MIB), dst = g.memory.slice(0x500000, MIB);
        for (int i = 0; i < 32; i++) MemorySegment.copy(src, 0, dst, 0, MIB);
        long t0 = System.nanoTime();
        for (int i = 0; i < COPIES; i++) MemorySegment.copy(src, 0, dst, 0, MIB);
        return (double) COPIES * MIB / (System.nanoTime() - t0);
    }

    /** GB/s of the engine copying 0x400000 to 0x500000, its registers written from this thread. */
    static double hostDriven(DmaEngine e) {
        e.mmioWrite(0, DmaEngine.SRC, 8, 0x400000);
        e.mmioWrite(0, DmaEngine.DST, 8, 0x500000);
        e.mmioWrite(0, DmaEngine.LEN, 8, MIB);
        for (int i = 0; i < 32; i++) e.mmioWrite(0, DmaEngine.CMD, 8, DmaEngine.CMD_COPY);
        long t0 = System.nanoTime();
        for (int i = 0; i < COPIES; i++) e.mmioWrite(0, DmaEngine.CMD, 8, DmaEngine.CMD_COPY);
        long t = System.nanoTime() - t0;
        if ((e.mmioRead(0, DmaEngine.STATUS, 8) & DmaEngine.STATUS_ERROR) != 0) throw new IllegalStateException("engine copy failed: error " + e.mmioRead(0, DmaEngine.ERROR, 8));
        return (double) COPIES * MIB / t;
    }
}
