package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.pci.PciAddress;
import org.hvkit.hw.dma.internal.DmaEngine;
import org.junit.jupiter.api.Test;

/**
 * The dma guest on KVM programs the DMA engine from ring 3 through the BAR the platform maps into
 * its PCI window (the IOMMU played by {@link FlatPort}): its copy, its faults, a broken device.
 */
class KvmDmaTest {
    static final PciAddress DEV = PciAddress.parse("0000:03:00.0");

    static KvmGuest guest(KvmRig rig, int domid) {
        return rig.platform.guests().stream().filter(g -> g.domid == domid).findFirst().orElseThrow();
    }

    /** Plugs a DMA engine into {@code domid}, connected to a flat port over its memory. */
    static CountingDevice plugEngine(KvmRig rig, int domid) {
        DmaEngine e = new DmaEngine(DEV);
        e.connect(new FlatPort(rig.platform.target(domid)));
        CountingDevice d = new CountingDevice(e);
        rig.platform.plug(domid, d);
        return d;
    }

    @Test
    void guestCopiesInsideItsMemoryAndSeesTheFaultsBeyondIt() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.createPreserved("dma", "dma", "0 300ms", 16);
            plugEngine(rig, d.id());
            assertTrue(KvmRig.waitFor(() -> rig.shutDown(d.id()), 30_000), "dma did not finish: " + rig.console());
            String console = String.join("\n", rig.console());
            assertEquals(1, rig.reported(d.id(), 0), console);
            assertEquals(2, rig.reported(d.id(), 1), "STATUS done after the copy");
            assertEquals((1L << 32) | (0xd3a0L << 16) | 0x1d5a, rig.reported(d.id(), 31), "the ID register, read from ring 3");
            long ram = 16L << 20;
            // a write to the first byte beyond its memory: DMA write fault, no write permission, at that address
            assertEquals(2, rig.reported(d.id(), 4));
            assertEquals(5, rig.reported(d.id(), 5));
            assertEquals(ram, rig.reported(d.id(), 6));
            // a read 1 MiB beyond it: DMA read fault, no read permission
            assertEquals(1, rig.reported(d.id(), 7));
            assertEquals(6, rig.reported(d.id(), 8));
            assertEquals(ram + (1 << 20), rig.reported(d.id(), 9));
            // a write at 2^50: beyond the address width
            assertEquals(2, rig.reported(d.id(), 10));
            assertEquals(4, rig.reported(d.id(), 11));
            assertEquals(1L << 50, rig.reported(d.id(), 12));
            assertTrue(console.contains("dma: copy of 0x10000 bytes inside its memory: ok"), console);
            assertTrue(console.contains("dma: write beyond its memory: status 0x4 error 0x2 reason 0x5 at 0x1000000"), console);
            assertTrue(console.contains("pci: 0000:03:00.0 BAR 0 at guest-physical 0x3ff00000 (4 KiB), PCI_BAR(0)"), console);
        }
    }

    @Test
    void withoutADeviceTheGuestSaysSo() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.createPreserved("dma", "dma", "0", 16);
            assertTrue(KvmRig.waitFor(() -> rig.shutDown(d.id()), 30_000), "dma did not finish: " + rig.console());
            assertTrue(rig.console().stream().anyMatch(l -> l.contains("dma: no PCI device (PCI_BAR(0) is 0)")), rig.console().toString());
        }
    }

    @Test
    void aBrokenDeviceModelCostsTheGuestItsDeviceNotTheHost() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.createPreserved("dma", "dma", "0 300ms", 16);
            CountingDevice dev = plugEngine(rig, d.id());
            dev.broken = true;
            assertTrue(KvmRig.waitFor(() -> rig.shutDown(d.id()), 30_000), "dma did not finish: " + rig.console());
            String console = String.join("\n", rig.console());
            assertEquals(0, rig.reported(d.id(), 0), "no copy: " + console);
            assertEquals(-1L, rig.reported(d.id(), 31), "the failed ID read answers all ones");
            assertTrue(console.contains("pci: 0000:03:00.0 failed a guest MMIO read at BAR 0 offset 0x0"), console);
            assertTrue(console.contains("dma: copy FAILED"), console);
            assertTrue(rig.core.domain(d.id()).isPresent(), "powered off normally, preserved");
        }
    }

    @Test
    void unplugWhileTheGuestHammersTheBarLeavesNoAccessAfterItReturns() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.createPreserved("dma", "dma", "1 300ms 100000000", 16);
            CountingDevice dev = plugEngine(rig, d.id());
            assertTrue(KvmRig.waitFor(() -> dev.writes.get() > 2000, 30_000), "the fuzz did not start: " + rig.console());
            rig.platform.unplug(d.id(), DEV);
            long w = dev.writes.get(), r = dev.reads.get();
            Thread.sleep(300);
            assertEquals(w, dev.writes.get(), "a BAR write after unplug returned");
            assertEquals(r, dev.reads.get(), "a BAR read after unplug returned");
            assertFalse(rig.shutDown(d.id()), "the guest goes on (its BAR reads all ones now): " + rig.console());
            assertTrue(guest(rig, d.id()).pci.strayAccesses > 0, "its accesses land in the empty window");
            rig.platform.unplug(d.id(), DEV); // idempotent
            rig.core.destroyDomain(d.id());
        }
    }
}
