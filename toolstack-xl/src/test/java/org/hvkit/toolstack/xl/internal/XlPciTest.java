package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.hvkit.api.iommu.DmaFault;
import org.hvkit.api.iommu.DmaTarget;
import org.hvkit.api.iommu.IommuOptions;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.api.pci.PciAddress;
import org.hvkit.api.toolstack.GuestReport;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.core.internal.DeviceAssignment;
import org.hvkit.hw.dma.internal.DmaEngine;
import org.hvkit.iommu.vtd.internal.VtdIommu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device assignment end to end on the simulated machine: the real core, the real DMA engines at
 * 0000:03:00.0 and 0001:03:00.0, the real VT-d unit, xl's pci commands and pci=[...], and the DMA
 * workload phase programming the engine through its BAR.
 */
class XlPciTest {
    static final PciAddress A = PciAddress.parse("0000:03:00.0"), B = PciAddress.parse("0001:03:00.0");
    @TempDir
    Path dir;
    XlHarness h;
    DeviceAssignment da;
    VtdIommu vtd;
    final DmaEngine a = new DmaEngine(A), b = new DmaEngine(B);

    void host(String iommu) {
        h = new XlHarness();
        Hypervisor hv = h.sim.hypervisor();
        IommuOptions o = IommuOptions.parse(iommu);
        da = DeviceAssignment.create(o, (org.hvkit.api.xsm.Xsm) h.sim.core(), hv::printk);
        da.addDevice(a);
        da.addDevice(b);
        da.setDmaPlatform(h.sim.platform());
        da.setPciPlatform(h.sim.platform());
        vtd = new VtdIommu(o, new boolean[] {true, true}, hv::printk);
        da.setIommu(vtd);
        h.xl.setPciAssignment(da);
    }

    @AfterEach
    void stop() {
        if (vtd != null) vtd.close();
        if (h != null) h.close();
        vtd = null;
        h = null;
    }

    String cfg(String name, String extra) throws IOException {
        Path f = dir.resolve(name + ".cfg");
        Files.writeString(f, "name = \"" + name + "\"\nmemory = 16\nvcpus = 1\n" + extra + "\n");
        return f.toString();
    }

    int domid(String name) {
        return h.sim.hypervisor().findDomain(name).orElseThrow().id();
    }

    GuestReport report(int domid, int key) {
        return h.sim.hypervisor().guestReports(domid).stream().filter(r -> r.key() == key).findFirst().orElse(null);
    }

    String dmesg() {
        return String.join("\n", h.sim.hypervisor().readConsole(false));
    }

    @Test
    void theCommandsInXen42sFormsAndMessages() throws IOException {
        host(null);
        assertEquals(new XlHarness.Result(0, "", ""), h.run("pci-assignable-list"));
        assertEquals(new XlHarness.Result(0, "", ""), h.run("pci-assignable-add", "03:00.0"));
        assertEquals(0, h.run("pci-assignable-add", "0001:03:00.0").status());
        assertEquals("0000:03:00.0\n0001:03:00.0\n", h.run("pci-assignable-list").out());
        assertEquals(new XlHarness.Result(0, "", "libxl: warning: libxl_pci.c:646:libxl__device_pci_assignable_add: 0000:03:00.0 already assigned to pciback\n"),
                h.run("pci-assignable-add", "03:00.0"));
        assertEquals(new XlHarness.Result(2, "", "pci-assignable-add: malformed BDF specification \"03:00\"\n"), h.run("pci-assignable-add", "03:00"));
        assertEquals("libxl: error: libxl_pci.c:640:libxl__device_pci_assignable_add: Couldn't lstat /sys/bus/pci/devices/0000:07:00.0: No such file or directory\n",
                h.run("pci-assignable-add", "07:00.0").err());
        h.run("create", cfg("web", "workload = \"cpu\""));
        h.run("create", cfg("db", "workload = \"cpu\""));
        assertEquals(new XlHarness.Result(0, "", ""), h.run("pci-attach", "web", "0000:03:00.0"));
        assertEquals(new XlHarness.Result(0, "Vdev Device\n04.0 0000:03:00.0\n", ""), h.run("pci-list", "web"));
        assertEquals("0001:03:00.0\n", h.run("pci-assignable-list").out());
        XlHarness.Result twice = h.run("pci-attach", "db", "03:00.0");
        assertEquals(new XlHarness.Result(0, "", "libxl: error: libxl_pci.c:1053:libxl__device_pci_add: PCI device 0000:03:00.0 already assigned to a different guest?\n"), twice);
        assertEquals(List.of(A), da.assigned(domid("web")), "not assigned twice");
        assertEquals(new XlHarness.Result(0, "", ""), h.run("pci-list", "db"));
        assertEquals(new XlHarness.Result(0, "", "libxl: error: libxl_pci.c:1185:do_pci_remove: PCI device not attached to this domain\n"), h.run("pci-detach", "db", "03:00.0"));
        assertEquals(0, h.run("pci-assignable-remove", "-r", "0001:03:00.0").status());
        // no such device: 4.2's pciback check finds it unbound, warns and goes on
        assertEquals(new XlHarness.Result(0, "", "libxl: warning: libxl_pci.c:693:libxl__device_pci_assignable_remove: Not bound to pciback\n"),
                h.run("pci-assignable-remove", "07:00.0"));
        assertEquals(new XlHarness.Result(0, "", "libxl: error: libxl_pci.c:1185:do_pci_remove: PCI device not attached to this domain\n"),
                h.run("pci-detach", "-f", "--", "db", "03:00.0"), "-f, then -- before the operands");
        assertEquals("libxl: error: libxl_pci.c:1066:libxl__device_pci_add: PCI device 1:3:0.0 is not assignable\n", h.run("pci-attach", "db", "0001:03:00.0").err());
        assertEquals(new XlHarness.Result(0, "", ""), h.run("pci-detach", "web", "03:00.0"));
        assertEquals("", h.run("pci-list", "web").out());
        assertEquals("0000:03:00.0\n", h.run("pci-assignable-list").out());
        assertEquals(2, h.run("pci-list", "nosuch").status());
        assertEquals(2, h.run("pci-attach", "web").status());
    }

    @Test
    void dmaInsideTheDomainWorksAndIsCheckedByContent() throws IOException {
        host(null);
        h.run("pci-assignable-add", "03:00.0");
        XlHarness.Result r = h.run("create", cfg("dma", "pci = [ '0000:03:00.0' ]\nworkload = \"run 1ms dma 0x10000 0x80000 8192 every 100us\""));
        assertEquals(0, r.status(), r.err());
        int d = domid("dma");
        h.sim.run(Duration.ofMillis(50));
        GuestReport ok = report(d, 0xd0);
        assertNotNull(ok, "copies reported: " + h.sim.hypervisor().guestReports(d));
        assertTrue(ok.count() > 10, "copies " + ok.count());
        assertEquals(8192, ok.last());
        assertNull(report(d, 0xd2), "no copy mismatched");
        assertNull(report(d, 0xd1), "no fault");
        DmaTarget mem = h.sim.platform().target(d);
        byte[] src = new byte[8192], dst = new byte[8192];
        mem.read(0x10000, src, 0, src.length);
        mem.read(0x80000, dst, 0, dst.length);
        assertArrayEquals(src, dst);
        assertNotEquals(0, src[0] | src[1] | src[2] | src[3], "a pattern, not zeros");
    }

    @Test
    void dmaOutsideFaultsWithReasonSourceIdErrorRegistersAndDmesg() throws IOException {
        host(null);
        h.run("pci-assignable-add", "0001:03:00.0");
        // 16 MiB of RAM: 0x1000000 is the first byte beyond it
        h.run("create", cfg("bad", "pci = [ '0001:03:00.0' ]\nworkload = \"run 1ms dma 0x10000 0x1000000 4096 every 200us\""));
        int d = domid("bad");
        h.sim.run(Duration.ofMillis(5));
        GuestReport f = report(d, 0xd1);
        assertNotNull(f);
        assertEquals(5L << 8 | DmaEngine.ERR_WRITE, f.last(), "REASON 5 (no write permission), ERROR 2 (DMA write fault)");
        vtd.faults(); // the fault handler has run (it also runs on its own thread)
        String log = dmesg();
        assertTrue(log.contains("(XEN) [VT-D]iommu.c:864: DMAR:[DMA Write] Request device [0001:03:00.0] fault addr 1000000, iommu reg = ffff82c3fff56000"), log);
        assertTrue(log.contains("(XEN) DMAR:[fault reason 05h] PTE Write access is not set"), log);
        DmaFault fault = vtd.faults().get(0);
        assertEquals(B, fault.source());
        assertEquals(0x1000000, fault.pageAddress());
        assertEquals(5, fault.reason());
        assertTrue(fault.write());
        String console = new String(h.sim.hypervisor().guestConsole(d, 0).data(), java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(console.contains("dma: copy 10000 -> 1000000 (4096 bytes) failed: ERROR 2 REASON 5 ERRADDR 1000000"), console);
    }

    @Test
    void shareptReadOnlyPageRejectsADeviceWriteNoShareptDoesNot() throws IOException {
        for (String mode : new String[] {"sharept", "no-sharept"}) {
            host(mode);
            h.run("pci-assignable-add", "03:00.0");
            h.run("create", cfg("ro", "pci = [ '03:00.0' ]\nworkload = \"run 1ms dma 0x10000 0x80000 4096 every 100us\""));
            int d = domid("ro");
            h.sim.hypervisor().p2m(d).setAccess(0x80, 1, P2mAccess.R); // what mem-access's set_mem_access does
            h.sim.run(Duration.ofMillis(5));
            if (mode.equals("sharept")) {
                assertEquals(5L << 8 | DmaEngine.ERR_WRITE, report(d, 0xd1).last(), "sharept: the p2m's read-only page refuses the device's write");
                assertNull(report(d, 0xd0));
            } else {
                assertNull(report(d, 0xd1), "no-sharept: the unit's own tables keep the page writable");
                assertTrue(report(d, 0xd0).count() > 0);
            }
            stop();
        }
    }

    @Test
    void aFuzzedOwnerNeverTouchesAnotherDomainsBytes() throws IOException {
        host(null);
        h.run("pci-assignable-add", "03:00.0");
        h.run("create", cfg("owner", "pci = [ '03:00.0' ]\nworkload = \"idle\""));
        h.run("create", cfg("other", "workload = \"idle\""));
        int owner = domid("owner"), other = domid("other");
        DmaTarget otherMem = h.sim.platform().target(other), ownerMem = h.sim.platform().target(owner);
        byte[] secret = new byte[4096];
        new SplittableRandom(5).nextBytes(secret);
        for (long p = 0; p < 16L << 20; p += 1 << 20) otherMem.write(p, secret, 0, secret.length);
        SplittableRandom rnd = new SplittableRandom(11);
        long[] near = {0, 16L << 20, (16L << 20) - 1, 1L << 48, -1, Long.MIN_VALUE, 1L << 32, 0x80000};
        int[] regs = {0x08, 0x10, 0x18, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50};
        long faults = 0;
        for (int i = 0; i < 100_000; i++) { // register writes and DMA requests as the owning guest's vCPU makes them
            int reg = regs[rnd.nextInt(regs.length)];
            long v = switch (rnd.nextInt(4)) {
                case 0 -> near[rnd.nextInt(near.length)] + rnd.nextInt(-4096, 4097);
                case 1 -> rnd.nextLong();
                case 2 -> rnd.nextLong(0, 17L << 20);
                default -> reg == 0x20 ? 1 : rnd.nextLong(1, 1 << 16);
            };
            a.mmioWrite(0, reg, 1 << rnd.nextInt(4), v);
            if (reg == 0x20 && (a.mmioRead(0, 0x28, 8) & 4) != 0) faults++;
        }
        byte[] back = new byte[4096];
        for (long p = 0; p < 16L << 20; p += 1 << 20) {
            otherMem.read(p, back, 0, back.length);
            assertArrayEquals(secret, back, "domain 'other' at " + Long.toHexString(p));
        }
        byte[] zero = new byte[4096];
        for (long p = 4096; p < 16L << 20; p += 1 << 20) {
            otherMem.read(p, back, 0, back.length);
            assertArrayEquals(zero, back, "domain 'other' page " + Long.toHexString(p) + " written");
        }
        assertTrue(faults > 100, "faults " + faults);
        assertEquals(List.of(A), da.assigned(owner));
        assertNotNull(ownerMem);
        h.sim.run(Duration.ofMillis(1)); // the host runs on
        assertEquals(0, h.run("list").status());
    }

    @Test
    void destroyDetachAndAStoppedIommuReleaseOrBlockTheDevice() throws IOException {
        host(null);
        h.run("pci-assignable-add", "03:00.0");
        h.run("create", cfg("d", "pci = [ '03:00.0' ]\nworkload = \"run 1ms dma 0x10000 0x20000 64 every 100us\""));
        int d = domid("d");
        h.sim.run(Duration.ofMillis(2));
        long before = report(d, 0xd0).count();
        // the IOMMU bundle stops: the device is blocked, not untranslated
        da.unsetIommu(vtd);
        vtd.close();
        h.sim.run(Duration.ofMillis(2));
        assertEquals(0L << 8 | DmaEngine.ERR_READ, report(d, 0xd1).last(), "blocked: a read fault with no IOMMU reason");
        assertEquals(before, report(d, 0xd0).count(), "no copy went through meanwhile");
        assertTrue(dmesg().contains("pci: IOMMU VT-d is gone; 1 assigned device(s) blocked until one is back"), dmesg());
        // its update comes back: re-attached, DMA translated again
        vtd = new VtdIommu(IommuOptions.DEFAULT, new boolean[] {true, true}, h.sim.hypervisor()::printk);
        da.setIommu(vtd);
        h.sim.run(Duration.ofMillis(2));
        assertTrue(report(d, 0xd0).count() > before);
        // destroy gives the device back
        assertEquals(0, h.run("destroy", "d").status());
        for (int i = 0; i < 200 && !h.run("pci-assignable-list").out().equals("0000:03:00.0\n"); i++) h.sim.run(Duration.ofMillis(1));
        assertEquals("0000:03:00.0\n", h.run("pci-assignable-list").out());
        assertSame(org.hvkit.api.pci.DmaPort.BLOCKED, a.port());
        assertEquals(-1, vtd.owner(A));
    }

    @Test
    void iommuOffOrRequiredWithoutAUnitRefusesPassthrough() throws IOException {
        host("off");
        h.run("pci-assignable-add", "03:00.0");
        assertEquals("", h.run("pci-assignable-list").out());
        XlHarness.Result r = h.run("create", cfg("p", "pci = [ '03:00.0' ]\nworkload = \"cpu\""));
        assertEquals(3, r.status());
        assertTrue(r.err().contains("libxl: error: libxl_pci.c:1053:libxl__device_pci_add: PCI device 0000:03:00.0 cannot be assigned - no IOMMU?"), r.err());
        assertTrue(h.sim.hypervisor().findDomain("p").isEmpty(), "not created");
        stop();
        host("required");
        da.unsetIommu(vtd);
        h.run("pci-assignable-add", "03:00.0");
        assertEquals("", h.run("pci-assignable-list").out(), "required and no unit: nothing is assignable");
        h.run("create", cfg("q", "workload = \"cpu\""));
        assertTrue(h.run("pci-attach", "q", "03:00.0").err().contains("cannot be assigned - no IOMMU?"));
    }
}
