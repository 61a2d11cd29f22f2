package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.memaccess.internal.MemAccessService;
import org.hvkit.toolstack.xl.internal.XlCommand;
import org.junit.jupiter.api.Test;

/**
 * {@code xl create examples/dma.cfg} on KVM: xl's pci commands and pci=[...] on the core's
 * assignment, the VT-d unit, the DMA engine and the dma guest; what xl dmesg shows; and under
 * sharept a page made read-only through the memory access service rejecting the device's write.
 */
class KvmXlPciTest {
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    record Out(int status, String out, String err) {}

    static Out xl(XlCommand xl, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int s = xl.run(ROOT.toString(), List.of(args), new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Out(s, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    static String kernel() throws Exception {
        return "kernel=\"" + KvmRig.guests().resolve("dma.hvk") + "\"";
    }

    static int domid(KvmAssignmentTest.Host h, String name) {
        return h.rig().core.findDomain(name).orElseThrow().id();
    }

    @Test
    void xlCreateExamplesDmaCfg() throws Exception {
        try (KvmAssignmentTest.Host h = KvmAssignmentTest.bare()) {
            XlCommand xl = new XlCommand(h.rig().core);
            xl.setPciAssignment(h.da());
            assertEquals(0, xl(xl, "pci-assignable-add", "0000:03:00.0").status());
            assertTrue(xl(xl, "pci-assignable-list").out().contains("0000:03:00.0"));
            Out c = xl(xl, "create", "examples/dma.cfg", kernel());
            assertEquals(0, c.status(), c.err());
            int id = domid(h, "dma");
            assertTrue(xl(xl, "pci-list", "dma").out().contains("0000:03:00.0"), xl(xl, "pci-list", "dma").out());
            assertTrue(KvmRig.waitFor(() -> h.rig().shutDown(id), 30_000), "dma did not finish: " + xl(xl, "dmesg").out());
            assertTrue(KvmRig.waitFor(() -> xl(xl, "dmesg").out().contains("fault addr 1000000"), 5_000), xl(xl, "dmesg").out());
            String dmesg = xl(xl, "dmesg").out();
            assertEquals(1, h.rig().reported(id, 0), dmesg);
            assertTrue(dmesg.contains("dma: copy of 0x10000 bytes inside its memory: ok"), dmesg);
            int reason = (int) h.rig().reported(id, 5);
            assertTrue(dmesg.contains(String.format("dma: write beyond its memory: status 0x4 error 0x2 reason 0x%x at 0x1000000", reason)), dmesg);
            assertTrue(dmesg.contains("DMAR:[DMA Write] Request device [0000:03:00.0] fault addr 1000000"), dmesg);
            assertTrue(dmesg.contains(String.format("DMAR:[fault reason %02xh]", reason)), dmesg);
            assertTrue(dmesg.contains("DMAR:[DMA Read] Request device [0000:03:00.0] fault addr 1100000"), dmesg);
            assertTrue(!xl(xl, "pci-assignable-list").out().contains("0000:03:00.0"), "assigned: not listed");
            assertEquals(0, xl(xl, "destroy", "dma").status());
            assertTrue(KvmRig.waitFor(() -> xl(xl, "pci-assignable-list").out().contains("0000:03:00.0"), 5_000), "destroy gave it back");
        }
    }

    @Test
    void underShareptAPageReadOnlyThroughMemAccessRejectsTheDevicesWrite() throws Exception {
        try (KvmAssignmentTest.Host h = KvmAssignmentTest.host(); MemAccessService ma = new MemAccessService(h.rig().platform, 1_000_000_000L)) {
            XlCommand xl = new XlCommand(h.rig().core);
            xl.setPciAssignment(h.da());
            Out c = xl(xl, "create", "examples/dma.cfg", kernel(), "name=\"probe\"", "extra=\"3 500ms\"");
            assertEquals(0, c.status(), c.err());
            int id = domid(h, "probe");
            ma.setAccess(id, 0x500, 1, P2mAccess.R);
            assertTrue(KvmRig.waitFor(() -> h.rig().shutDown(id), 30_000), "probe did not finish: " + xl(xl, "dmesg").out());
            assertTrue(KvmRig.waitFor(() -> xl(xl, "dmesg").out().contains("fault addr 500000"), 5_000), xl(xl, "dmesg").out());
            String dmesg = xl(xl, "dmesg").out();
            assertTrue(dmesg.contains("dma: copy to a page it does not touch: status 0x4 error 0x2 reason 0x5 at 0x500000"), dmesg);
            assertTrue(dmesg.contains("DMAR:[DMA Write] Request device [0000:03:00.0] fault addr 500000"), dmesg);
            assertTrue(dmesg.contains("DMAR:[fault reason 05h]"), dmesg);
            assertEquals(0, KvmDmaTest.guest(h.rig(), id).memory.readBytes(0x500000, 8)[0], "the page kept its content");
        }
    }

    @Test
    void xlCreateExamplesDmaFuzzCfgLeavesAnotherDomainAndTheHostByteForByte() throws Exception {
        try (KvmAssignmentTest.Host h = KvmAssignmentTest.host(); java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            KvmRig rig = h.rig();
            var by = rig.createPreserved("bystander", "writer", "0 256 1", 16);
            assertTrue(KvmRig.waitFor(() -> rig.shutDown(by.id()), 30_000), "writer did not finish: " + rig.console());
            var byRam = KvmDmaTest.guest(rig, by.id()).memory.slice(0, 16L << 20);
            String before = KvmDmaFuzzTest.digest(byRam);
            var canary = arena.allocate(4L << 20, 4096);
            for (long i = 0; i < canary.byteSize(); i += 8) canary.set(java.lang.foreign.ValueLayout.JAVA_LONG, i, i ^ 0x5A5A5A5A5A5A5A5AL);
            String canaryBefore = KvmDmaFuzzTest.digest(canary);
            XlCommand xl = new XlCommand(rig.core);
            xl.setPciAssignment(h.da());
            Out c = xl(xl, "create", "examples/dma-fuzz.cfg", kernel());
            assertEquals(0, c.status(), c.err());
            int id = domid(h, "dma-fuzz");
            assertTrue(KvmRig.waitFor(() -> rig.shutDown(id), 300_000), "the fuzz did not finish: " + xl(xl, "dmesg").out());
            assertEquals(20000, rig.reported(id, 16), xl(xl, "dmesg").out());
            assertTrue(h.device().writes.get() >= 100_000, "register writes: " + h.device().writes.get());
            assertTrue(xl(xl, "dmesg").out().contains("dma: fuzz: 0x4e20 rounds"), xl(xl, "dmesg").out());
            assertEquals(before, KvmDmaFuzzTest.digest(byRam), "the bystander's memory changed");
            assertEquals(canaryBefore, KvmDmaFuzzTest.digest(canary), "host memory changed");
        }
    }
}
