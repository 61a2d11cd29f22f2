package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.iommu.IommuOptions;
import org.hvkit.api.pci.DmaPort;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.core.internal.DeviceAssignment;
import org.hvkit.hw.dma.internal.DmaEngine;
import org.hvkit.iommu.vtd.internal.VtdIommu;
import org.junit.jupiter.api.Test;

/**
 * Device assignment end to end on KVM without a framework: the real core, its DeviceAssignment,
 * the VT-d unit and the DMA engine, wired as DS would, the dma guest programming the engine.
 * What xl dmesg shows, destroy and detach releasing the device, no double assignment.
 */
class KvmAssignmentTest {
    record Host(KvmRig rig, VtdIommu unit, DeviceAssignment da, DmaEngine engine, CountingDevice device) implements AutoCloseable {
        @Override
        public void close() {
            unit.close();
            rig.close();
        }
    }

    static Host host() {
        Host h = bare();
        h.da.addAssignable(KvmDmaTest.DEV);
        return h;
    }

    /** The host with the engine registered but not made assignable. */
    static Host bare() {
        KvmRig rig = new KvmRig(null, false);
        VtdIommu unit = new VtdIommu(IommuOptions.DEFAULT, new boolean[] {true, true}, rig.core::printk);
        DeviceAssignment da = DeviceAssignment.create(IommuOptions.DEFAULT, null, rig.core::printk);
        da.setDmaPlatform(rig.platform);
        da.setPciPlatform(rig.platform);
        da.setIommu(unit);
        DmaEngine e = new DmaEngine(KvmDmaTest.DEV);
        CountingDevice d = new CountingDevice(e);
        da.addDevice(d);
        return new Host(rig, unit, da, e, d);
    }

    static String dmesg(KvmRig rig) {
        return String.join("\n", rig.console());
    }

    @Test
    void theGuestsCopyAndItsFaultsInXlDmesg() throws Exception {
        try (Host h = host()) {
            KvmRig rig = h.rig;
            DomainInfo d = rig.createPreserved("dma", "dma", "0 300ms", 16);
            h.da.attach(d.id(), KvmDmaTest.DEV);
            assertEquals(List.of(KvmDmaTest.DEV), h.da.assigned(d.id()));
            assertTrue(KvmRig.waitFor(() -> rig.shutDown(d.id()), 30_000), "dma did not finish: " + dmesg(rig));
            assertEquals(1, rig.reported(d.id(), 0), dmesg(rig));
            int reason = (int) rig.reported(d.id(), 5);
            assertTrue(KvmRig.waitFor(() -> dmesg(rig).contains("Request device [0000:03:00.0] fault addr 1000000"), 5_000), dmesg(rig));
            String log = dmesg(rig);
            assertTrue(log.contains("DMAR:[DMA Write] Request device [0000:03:00.0] fault addr 1000000"), log);
            assertTrue(log.contains(String.format("DMAR:[fault reason %02xh]", reason)), log);
            assertTrue(log.contains("dma: copy of 0x10000 bytes inside its memory: ok"), log);
            assertTrue(log.contains(String.format("dma: write beyond its memory: status 0x4 error 0x2 reason 0x%x at 0x1000000", reason)), log);
        }
    }

    @Test
    void anAssignedDeviceCannotBeAssignedTwiceAndDestroyGivesItBack() throws Exception {
        try (Host h = host()) {
            KvmRig rig = h.rig;
            DomainInfo a = rig.create("a", "burn", "0", 16, null, null);
            DomainInfo b = rig.create("b", "burn", "0", 16, null, null);
            h.da.attach(a.id(), KvmDmaTest.DEV);
            HypervisorException twice = assertThrows(HypervisorException.class, () -> h.da.attach(b.id(), KvmDmaTest.DEV));
            assertTrue(twice.getMessage().contains("already assigned, or non-existent"), twice.getMessage());
            assertEquals(1, rig.platform.call(() -> KvmDmaTest.guest(rig, a.id()).pci.mapped().size()));
            rig.core.destroyDomain(a.id());
            assertTrue(KvmRig.waitFor(() -> h.da.assigned(a.id()).isEmpty(), 5_000), "destroy released the device");
            assertSame(DmaPort.BLOCKED, h.engine.port(), "cut off from memory");
            h.da.attach(b.id(), KvmDmaTest.DEV);
            assertEquals(List.of(KvmDmaTest.DEV), h.da.assigned(b.id()));
            assertEquals(KvmDmaTest.guest(rig, b.id()).pci.mapped().get(0).base(), GuestAbi.PCI_BASE);
        }
    }

    @Test
    void detachWhileTheFuzzRunsLeavesTheGuestRunningAndTheDeviceCutOff() throws Exception {
        try (Host h = host()) {
            KvmRig rig = h.rig;
            DomainInfo d = rig.createPreserved("fuzz", "dma", "1 300ms 100000000", 16);
            h.da.attach(d.id(), KvmDmaTest.DEV);
            assertTrue(KvmRig.waitFor(() -> h.device.writes.get() > 3000, 30_000), "the fuzz did not start: " + dmesg(rig));
            h.da.detach(d.id(), KvmDmaTest.DEV);
            long w = h.device.writes.get();
            Thread.sleep(300);
            assertEquals(w, h.device.writes.get(), "no BAR access after detach returned");
            assertSame(DmaPort.BLOCKED, h.engine.port());
            assertFalse(rig.shutDown(d.id()), "the guest runs on: " + dmesg(rig));
            assertTrue(h.da.assignable().contains(KvmDmaTest.DEV), "assignable again");
            assertEquals(-1, h.unit.owner(KvmDmaTest.DEV), "no context entry for it");
            rig.core.destroyDomain(d.id());
        }
    }
}
