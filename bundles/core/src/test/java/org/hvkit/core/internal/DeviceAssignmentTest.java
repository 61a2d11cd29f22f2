package org.hvkit.core.internal;

import static org.hvkit.hw.dma.internal.DmaEngine.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hvkit.api.iommu.DmaPlatform;
import org.hvkit.api.iommu.DmaTarget;
import org.hvkit.api.iommu.IommuOptions;
import org.hvkit.api.p2m.P2m;
import org.hvkit.api.p2m.P2mTable;
import org.hvkit.api.p2m.P2mType;
import org.hvkit.api.p2m.PageOrder;
import org.hvkit.api.pci.DmaPort;
import org.hvkit.api.pci.PciAddress;
import org.hvkit.api.pci.PciDevice;
import org.hvkit.api.pci.PciPlatform;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.hw.dma.internal.DmaEngine;
import org.hvkit.iommu.vtd.internal.VtdIommu;
import org.junit.jupiter.api.Test;

/** Assignment with the real VT-d unit and the real DMA engine over domains' memory kept in byte arrays. */
class DeviceAssignmentTest {
    static final PciAddress A = PciAddress.parse("0000:03:00.0"), B = PciAddress.parse("0001:03:00.0");
    final List<String> console = Collections.synchronizedList(new ArrayList<>());
    final Map<Integer, Mem> domains = new HashMap<>();
    final Map<Integer, List<PciAddress>> plugged = new HashMap<>();
    final DmaEngine a = new DmaEngine(A), b = new DmaEngine(B);

    /** A domain's memory: 1 MiB of RAM in a byte array, its p2m a real table. */
    static final class Mem implements DmaTarget {
        final P2mTable p2m;
        final byte[] ram = new byte[1 << 20];

        Mem(int domid) {
            p2m = new P2mTable(domid, 256);
            p2m.populate(0, 256, PageOrder.ORDER_2M, P2mType.RAM);
        }

        @Override
        public int domainId() {
            return p2m.domainId();
        }

        @Override
        public P2m p2m() {
            return p2m;
        }

        @Override
        public void read(long gpa, byte[] dst, int off, int len) {
            System.arraycopy(ram, Math.toIntExact(gpa), dst, off, len);
        }

        @Override
        public void write(long gpa, byte[] src, int off, int len) {
            System.arraycopy(src, off, ram, Math.toIntExact(gpa), len);
        }
    }

    DeviceAssignment assignment(String iommu, boolean withUnit) {
        DeviceAssignment d = new DeviceAssignment(IommuOptions.parse(iommu), null, console::add);
        d.addDevice(a);
        d.addDevice(b);
        d.setDmaPlatform(new DmaPlatform() {
            @Override
            public DmaTarget target(int domid) {
                Mem m = domains.get(domid);
                if (m == null) throw new IllegalArgumentException("no domain " + domid);
                return m;
            }
        });
        d.setPciPlatform(new PciPlatform() {
            @Override
            public synchronized void plug(int domid, PciDevice device) {
                plugged.computeIfAbsent(domid, k -> new ArrayList<>()).add(device.address());
            }

            @Override
            public synchronized void unplug(int domid, PciAddress address) {
                List<PciAddress> l = plugged.get(domid);
                if (l != null) l.remove(address);
            }
        });
        if (withUnit) d.setIommu(new VtdIommu(IommuOptions.parse(iommu), new boolean[] {true, true}, console::add));
        domains.put(1, new Mem(1));
        domains.put(2, new Mem(2));
        return d;
    }

    static void copy(DmaEngine e, long src, long dst, long len) {
        e.mmioWrite(0, SRC, 8, src);
        e.mmioWrite(0, DST, 8, dst);
        e.mmioWrite(0, LEN, 8, len);
        e.mmioWrite(0, CMD, 8, CMD_COPY);
    }

    @Test
    void anAssignedEngineCopiesInsideItsDomainOnly() {
        DeviceAssignment d = assignment(null, true);
        HypervisorException e = assertThrows(HypervisorException.class, () -> d.attach(1, A));
        assertEquals(HypervisorException.Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("not assignable"), e.getMessage());
        d.addAssignable(A);
        d.addAssignable(B);
        assertEquals(List.of(A, B), d.assignable());
        d.attach(1, A);
        assertEquals(List.of(B), d.assignable());
        assertEquals(List.of(A), d.assigned(1));
        assertEquals(List.of(A), plugged.get(1));
        Mem m1 = domains.get(1);
        for (int i = 0; i < 8192; i++) m1.ram[0x10000 + i] = (byte) (i * 7);
        copy(a, 0x10000, 0x20000, 8192);
        assertEquals(STATUS_DONE, a.mmioRead(0, STATUS, 8));
        for (int i = 0; i < 8192; i++) assertEquals((byte) (i * 7), m1.ram[0x20000 + i]);
        copy(a, 0x10000, 1 << 20, 16); // just past the domain's RAM
        assertEquals(ERR_WRITE, a.mmioRead(0, ERROR, 8));
        assertEquals(5, a.mmioRead(0, REASON, 8));
        assertEquals(1 << 20, a.mmioRead(0, ERRADDR, 8));
        // the engine's own unassigned twin gets nothing
        copy(b, 0, 0x1000, 16);
        assertEquals(0, b.mmioRead(0, REASON, 8));
        assertEquals(ERR_READ, b.mmioRead(0, ERROR, 8));
    }

    @Test
    void noDoubleAssignmentAndDetachReleases() {
        DeviceAssignment d = assignment(null, true);
        d.addAssignable(A);
        d.attach(1, A);
        HypervisorException e = assertThrows(HypervisorException.class, () -> d.attach(2, A));
        assertEquals("0000:03:00.0 already assigned, or non-existent", e.getMessage());
        assertThrows(HypervisorException.class, () -> d.removeAssignable(A));
        assertThrows(HypervisorException.class, () -> d.detach(2, A));
        d.detach(1, A);
        assertSame(DmaPort.BLOCKED, a.port());
        assertEquals(List.of(), plugged.get(1));
        assertEquals(List.of(), d.assigned(1));
        d.attach(2, A);
        copy(a, 0, 0x1000, 4);
        assertEquals(STATUS_DONE, a.mmioRead(0, STATUS, 8));
    }

    @Test
    void destroyingTheDomainReleasesItsDevices() throws Exception {
        DeviceAssignment d = assignment(null, true);
        d.addAssignable(A);
        d.attach(1, A);
        domains.get(1).p2m.destroy();
        assertSame(DmaPort.BLOCKED, a.port(), "cut off before destroy returns");
        for (int i = 0; i < 200 && !d.assigned(1).isEmpty(); i++) Thread.sleep(5);
        assertEquals(List.of(), d.assigned(1));
        assertEquals(List.of(A), d.assignable());
        assertTrue(console.contains("pci: 0000:03:00.0 released from d1: domain destroyed"), String.join("\n", console));
    }

    @Test
    void anIommuThatGoesLeavesDevicesBlockedAndTheNextOneReattachesThem() {
        DeviceAssignment d = assignment(null, true);
        d.addAssignable(A);
        d.attach(1, A);
        VtdIommu first = (VtdIommu) field(d, "iommu");
        d.unsetIommu(first);
        first.close();
        assertSame(DmaPort.BLOCKED, a.port());
        copy(a, 0, 0x1000, 4);
        assertEquals(ERR_READ, a.mmioRead(0, ERROR, 8));
        assertEquals(List.of(A), d.assigned(1), "still assigned, only blocked");
        VtdIommu next = new VtdIommu(IommuOptions.DEFAULT, new boolean[] {true, true}, console::add);
        d.setIommu(next);
        assertEquals(1, next.owner(A));
        a.mmioWrite(0, CMD, 8, CMD_CLEAR);
        copy(a, 0, 0x1000, 4);
        assertEquals(STATUS_DONE, a.mmioRead(0, STATUS, 8));
        assertTrue(console.contains("pci: IOMMU VT-d is here; 1 assigned device(s) re-attached through it"), String.join("\n", console));
        next.close();
    }

    @Test
    void requiredWithoutAUnitOrOffNothingIsAssignable() {
        DeviceAssignment d = assignment("required", false);
        d.addAssignable(A);
        assertEquals(List.of(), d.assignable());
        HypervisorException e = assertThrows(HypervisorException.class, () -> d.attach(1, A));
        assertEquals("assign 0000:03:00.0 to dom1: Couldn't enable IOMMU and iommu=required/force", e.getMessage());
        DeviceAssignment off = assignment("off", true);
        off.addAssignable(A);
        assertEquals(List.of(), off.assignable());
        assertTrue(assertThrows(HypervisorException.class, () -> off.attach(1, A)).getMessage().contains("I/O virtualisation is disabled (iommu=off)"));
        assertTrue(console.contains("I/O virtualisation disabled"));
    }

    private static Object field(Object o, String name) {
        try {
            var f = o.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(o);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
