package org.hvkit.hw.cpu.intel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hvkit.api.cpu.CpuidLeaf;
import org.hvkit.api.cpu.CpuidResult;
import org.hvkit.api.cpu.GuestCpuTopology;
import org.junit.jupiter.api.Test;

/** Leaves 1, 4, 0xB and 0x1F for 1, 8, 256 and 512 vCPUs. */
class TopologyTest {
    static CpuidResult compute(String model, GuestCpuTopology t) {
        return ModelsTest.POLICY.compute(ModelsTest.model(model), null, (String) null, t);
    }

    static CpuidLeaf find(List<CpuidLeaf> leaves, int leaf, int sub) {
        for (CpuidLeaf l : leaves) if (l.leaf() == leaf && l.subleaf() == sub) return l;
        throw new AssertionError("no leaf " + leaf + "." + sub);
    }

    static int logical(CpuidResult r) {
        return r.leaf(1, 0).ebx() >>> 16 & 0xFF;
    }

    @Test
    void oneVcpu() {
        CpuidResult r = compute("SandyBridge", GuestCpuTopology.flat(1));
        assertEquals(new CpuidLeaf(0xB, 0, 0, 1, 0x100, 0), r.leaf(0xB, 0));
        assertEquals(new CpuidLeaf(0xB, 1, 0, 1, 0x201, 0), r.leaf(0xB, 1));
        assertEquals(new CpuidLeaf(0xB, 2, 0, 0, 2, 0), r.leaf(0xB, 2));
        assertEquals(1, logical(r));
        assertFalse(r.leaf(1, 0).bit(CpuidLeaf.EDX, 28), "no HTT with one logical processor");
        assertEquals(8, r.leaf(1, 0).ebx() >>> 8 & 0xFF, "CLFLUSH line 8 x 8 bytes");
        assertEquals(0, r.leaf(4, 0).eax() >>> 26, "one core per package");
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    }

    @Test
    void eightVcpusTwoThreadsFourCores() {
        GuestCpuTopology t = new GuestCpuTopology(8, 2, 4);
        CpuidResult r = compute("Haswell", t);
        assertEquals(new CpuidLeaf(0xB, 0, 1, 2, 0x100, 0), r.leaf(0xB, 0));
        assertEquals(new CpuidLeaf(0xB, 1, 3, 8, 0x201, 0), r.leaf(0xB, 1));
        assertEquals(8, logical(r));
        assertTrue(r.leaf(1, 0).bit(CpuidLeaf.EDX, 28), "HTT");
        CpuidLeaf l1d = r.leaf(4, 0), l3 = r.leaf(4, 3);
        assertEquals(1, l1d.eax() >>> 14 & 0xFFF, "L1d shared by the 2 threads of a core");
        assertEquals(3, l1d.eax() >>> 26, "4 cores per package");
        assertEquals(7, l3.eax() >>> 14 & 0xFFF, "L3 shared by the package");
        for (int v = 0; v < 8; v++) {
            List<CpuidLeaf> leaves = r.leavesFor(v);
            assertEquals(v, find(leaves, 1, 0).ebx() >>> 24, "initial APIC id of vCPU " + v);
            assertEquals(v, find(leaves, 0xB, 0).edx());
            assertEquals(v, find(leaves, 0xB, 1).edx());
            assertEquals(v, find(leaves, 0xB, 2).edx());
        }
    }

    @Test
    void sixVcpusThreeCoresRoundUpTheCoreField() {
        GuestCpuTopology t = new GuestCpuTopology(6, 1, 3);
        assertEquals(2, t.coreShift());
        assertEquals(2, t.sockets());
        assertEquals(List.of(0, 1, 2, 4, 5, 6), java.util.stream.IntStream.range(0, 6).map(t::x2apicId).boxed().toList());
    }

    @Test
    void vcpus256NeedX2apicOnANehalem() {
        GuestCpuTopology t = new GuestCpuTopology(256, 2, 64);
        assertEquals(2, t.sockets());
        CpuidResult r = compute("Nehalem", t);
        assertEquals(255, t.maxX2apicId());
        assertTrue(r.has("x2apic"), "x2APIC added for ids above 254");
        assertTrue(r.leaf(1, 0).bit(CpuidLeaf.ECX, 21));
        assertEquals(List.of("cpuid: x2apic added: vCPU 255 has x2APIC id 255, above the 254 xAPIC can address"), r.warnings());
        assertEquals(new CpuidLeaf(0xB, 0, 1, 2, 0x100, 0), r.leaf(0xB, 0));
        assertEquals(new CpuidLeaf(0xB, 1, 7, 128, 0x201, 0), r.leaf(0xB, 1));
        assertEquals(128, logical(r));
        assertEquals(63, r.leaf(4, 0).eax() >>> 26);
        List<CpuidLeaf> last = r.leavesFor(255);
        assertEquals(255, find(last, 0xB, 0).edx());
        assertEquals(0xFF, find(last, 1, 0).ebx() >>> 24);
        List<CpuidLeaf> v130 = r.leavesFor(130); // socket 1, core 1, thread 0
        assertEquals(128 + 2, find(v130, 0xB, 1).edx());
    }

    @Test
    void vcpus256OnSandyBridgeWithX2apicAlready() {
        CpuidResult r = compute("SandyBridge", new GuestCpuTopology(256, 2, 64));
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
        assertTrue(r.has("x2apic"));
    }

    @Test
    void vcpus512AcrossPartlyFilledSockets() {
        GuestCpuTopology t = new GuestCpuTopology(512, 1, 48);
        assertEquals(11, t.sockets());
        CpuidResult r = compute("SapphireRapids", t);
        assertEquals(new CpuidLeaf(0xB, 0, 0, 1, 0x100, 0), r.leaf(0xB, 0));
        assertEquals(new CpuidLeaf(0xB, 1, 6, 48, 0x201, 0), r.leaf(0xB, 1));
        assertEquals(new CpuidLeaf(0x1F, 1, 6, 48, 0x201, 0), r.leaf(0x1F, 1));
        assertEquals(64, logical(r));
        int id = 10 << 6 | 31; // vCPU 511: socket 10, core 31
        assertEquals(id, t.x2apicId(511));
        List<CpuidLeaf> last = r.leavesFor(511);
        assertEquals(id, find(last, 0xB, 0).edx());
        assertEquals(id, find(last, 0x1F, 1).edx());
        assertEquals(id & 0xFF, find(last, 1, 0).ebx() >>> 24, "leaf 1 has the low 8 bits");
        Set<Integer> ids = new HashSet<>();
        for (int v = 0; v < 512; v++) assertTrue(ids.add(t.x2apicId(v)), "x2APIC ids are unique");
    }

    @Test
    void vcpus512InOneSocket() {
        GuestCpuTopology t = GuestCpuTopology.flat(512);
        CpuidResult r = compute("SkylakeServer", t);
        assertEquals(new CpuidLeaf(0xB, 1, 9, 512, 0x201, 0), r.leaf(0xB, 1));
        assertEquals(255, logical(r), "8-bit field saturates");
        assertEquals(63, r.leaf(4, 0).eax() >>> 26, "6-bit core field saturates");
        assertEquals(511, r.leaf(4, 3).eax() >>> 14 & 0xFFF, "L3 shared by all 512");
        for (int v : new int[] {0, 254, 255, 256, 511}) assertEquals(v, find(r.leavesFor(v), 0xB, 0).edx());
    }

    @Test
    void x2apicHiddenOnPurposeIsWarnedAbout() {
        CpuidResult r = ModelsTest.POLICY.compute(ModelsTest.model("SandyBridge"), null, "host,x2apic=0", GuestCpuTopology.flat(300));
        assertFalse(r.has("x2apic"));
        assertEquals(List.of("cpuid: without x2apic the guest cannot address vCPUs whose APIC id is above 254 (vCPU 299 has 299)"), r.warnings());
    }

    @Test
    void topologyValidation() {
        assertEquals("vcpus must be 1..16384, not 0",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new GuestCpuTopology(0, 1, 1)).getMessage());
    }
}
