package org.hvkit.hw.cpu.intel.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.hvkit.api.cpu.CpuModel;
import org.hvkit.api.cpu.CpuidLeaf;
import org.hvkit.api.cpu.CpuidResult;
import org.hvkit.api.cpu.GuestCpuTopology;
import org.hvkit.api.cpu.HwCaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every named model's table against the bit positions of Intel's SDM (vol. 2A, CPUID), written
 * here as literal numbers independently of the feature table.
 */
class ModelsTest {
    static final IntelCpuidPolicy POLICY = IntelCpuidPolicy.withBuiltInModels();

    // CPUID.1:ECX
    static final int SSE3 = 0, PCLMUL = 1, VMX = 5, SSSE3 = 9, FMA = 12, CX16 = 13, SSE41 = 19, SSE42 = 20, X2APIC = 21,
            MOVBE = 22, POPCNT = 23, TSC_DEADLINE = 24, AES = 25, XSAVE = 26, OSXSAVE = 27, AVX = 28, F16C = 29, RDRAND = 30, HYPERVISOR = 31;
    // CPUID.1:EDX
    static final int HTT = 28;
    // CPUID.7.0:EBX
    static final int BMI1 = 3, AVX2 = 5, BMI2 = 8, MPX = 14, AVX512F = 16, AVX512DQ = 17, AVX512CD = 28, AVX512BW = 30, AVX512VL = 31;
    // CPUID.7.0:ECX
    static final int AVX512VBMI = 1, OSPKE = 4, AVX512VBMI2 = 6, AVX512VNNI = 11, LA57 = 16;
    // CPUID.7.0:EDX
    static final int AMX_TILE = 24, AVX512FP16 = 23;
    // CPUID.0x80000001
    static final int LAHF = 0, NX = 20, PDPE1GB = 26, RDTSCP = 27, LM = 29;

    static CpuModel model(String name) {
        return new IntelCpuModel(IntelModels.spec(name));
    }

    static CpuidResult compute(String name, int vcpus) {
        return POLICY.compute(model(name), null, (String) null, GuestCpuTopology.flat(vcpus));
    }

    static boolean bit(CpuidResult r, int leaf, int sub, int reg, int bit) {
        CpuidLeaf l = r.leaf(leaf, sub);
        assertNotNull(l, String.format("leaf 0x%x.%d", leaf, sub));
        return l.bit(reg, bit);
    }

    /** Expected per model: AVX, AVX2, FMA, AVX512F, XSAVE, x2APIC, TSC-deadline, PDPE1GB, leaf 1 EAX. */
    record Expect(boolean avx, boolean avx2, boolean fma, boolean avx512f, boolean xsave, boolean x2apic, boolean tscDeadline,
            boolean pdpe1gb, int signature, long xcr0, int xsaveSize) {
    }

    static final Map<String, Expect> EXPECT = Map.of(
            "Nehalem", new Expect(false, false, false, false, false, false, false, false, 0x106A5, 0, 0),
            "Westmere", new Expect(false, false, false, false, false, false, false, true, 0x206C2, 0, 0),
            "SandyBridge", new Expect(true, false, false, false, true, true, true, true, 0x206D7, 0x7, 832),
            "IvyBridge", new Expect(true, false, false, false, true, true, true, true, 0x306E4, 0x7, 832),
            "Haswell", new Expect(true, true, true, false, true, true, true, true, 0x306F2, 0x7, 832),
            "Broadwell", new Expect(true, true, true, false, true, true, true, true, 0x406F1, 0x7, 832),
            "SkylakeServer", new Expect(true, true, true, true, true, true, true, true, 0x50654, 0x2FF, 2696),
            "CascadeLake", new Expect(true, true, true, true, true, true, true, true, 0x50657, 0x2FF, 2696),
            "IcelakeServer", new Expect(true, true, true, true, true, true, true, true, 0x606A6, 0x2E7, 2696),
            "SapphireRapids", new Expect(true, true, true, true, true, true, true, true, 0x806F8, 0x602E7, 11008));

    @ParameterizedTest
    @ValueSource(strings = {"Nehalem", "Westmere", "SandyBridge", "IvyBridge", "Haswell", "Broadwell", "SkylakeServer", "CascadeLake",
            "IcelakeServer", "SapphireRapids"})
    void documentedBits(String name) {
        Expect e = EXPECT.get(name);
        CpuidResult r = compute(name, 1);
        assertEquals(e.signature, r.leaf(1, 0).eax(), "leaf 1 EAX");
        assertEquals(e.avx, bit(r, 1, 0, CpuidLeaf.ECX, AVX), "AVX");
        assertEquals(e.fma, bit(r, 1, 0, CpuidLeaf.ECX, FMA), "FMA");
        assertEquals(e.xsave, bit(r, 1, 0, CpuidLeaf.ECX, XSAVE), "XSAVE");
        assertFalse(bit(r, 1, 0, CpuidLeaf.ECX, OSXSAVE), "OSXSAVE is the guest's CR4, never set");
        assertEquals(e.x2apic, bit(r, 1, 0, CpuidLeaf.ECX, X2APIC), "x2APIC");
        assertEquals(e.tscDeadline, bit(r, 1, 0, CpuidLeaf.ECX, TSC_DEADLINE), "TSC-deadline");
        assertTrue(bit(r, 1, 0, CpuidLeaf.ECX, HYPERVISOR), "hypervisor");
        assertFalse(bit(r, 1, 0, CpuidLeaf.ECX, VMX), "VMX hidden without nestedhvm");
        assertTrue(bit(r, 1, 0, CpuidLeaf.ECX, SSE3) && bit(r, 1, 0, CpuidLeaf.ECX, SSSE3) && bit(r, 1, 0, CpuidLeaf.ECX, SSE41)
                && bit(r, 1, 0, CpuidLeaf.ECX, SSE42) && bit(r, 1, 0, CpuidLeaf.ECX, POPCNT) && bit(r, 1, 0, CpuidLeaf.ECX, CX16));
        assertEquals(e.avx2, bit(r, 7, 0, CpuidLeaf.EBX, AVX2), "AVX2");
        assertEquals(e.avx2, bit(r, 7, 0, CpuidLeaf.EBX, BMI1) && bit(r, 7, 0, CpuidLeaf.EBX, BMI2), "BMI1/2 come with Haswell");
        assertEquals(e.avx512f, bit(r, 7, 0, CpuidLeaf.EBX, AVX512F), "AVX-512F");
        for (int b : new int[] {AVX512DQ, AVX512CD, AVX512BW, AVX512VL}) assertEquals(e.avx512f, bit(r, 7, 0, CpuidLeaf.EBX, b), "AVX-512 bit " + b);
        assertFalse(bit(r, 7, 0, CpuidLeaf.ECX, OSPKE), "OSPKE is the guest's CR4");
        assertEquals(e.pdpe1gb, bit(r, 0x80000001, 0, CpuidLeaf.EDX, PDPE1GB), "PDPE1GB");
        assertTrue(bit(r, 0x80000001, 0, CpuidLeaf.EDX, LM) && bit(r, 0x80000001, 0, CpuidLeaf.EDX, NX)
                && bit(r, 0x80000001, 0, CpuidLeaf.EDX, RDTSCP) && bit(r, 0x80000001, 0, CpuidLeaf.ECX, LAHF), "LM NX RDTSCP LAHF");
        assertEquals(e.xcr0, r.xcr0Mask(), "XCR0");
        assertEquals(e.xsaveSize, r.xsaveSize(), "XSAVE size");
        if (e.xsave) {
            CpuidLeaf d0 = r.leaf(0xD, 0);
            assertEquals((int) e.xcr0, d0.eax());
            assertEquals((int) (e.xcr0 >>> 32), d0.edx());
            assertEquals(e.xsaveSize, d0.ecx());
            assertEquals(new CpuidLeaf(0xD, 2, 256, 576, 0, 0), r.leaf(0xD, 2), "AVX state: 256 bytes at 576");
            assertEquals(0, r.leaf(0, 0).eax() < 0xD ? 1 : 0, "max leaf covers 0xD");
        } else {
            assertNull(r.leaf(0xD, 0), "no leaf 0xD on " + name);
        }
        if (e.avx512f) {
            assertEquals(new CpuidLeaf(0xD, 5, 64, 1088, 0, 0), r.leaf(0xD, 5), "opmask");
            assertEquals(new CpuidLeaf(0xD, 6, 512, 1152, 0, 0), r.leaf(0xD, 6), "ZMM_Hi256");
            assertEquals(new CpuidLeaf(0xD, 7, 1024, 1664, 0, 0), r.leaf(0xD, 7), "Hi16_ZMM");
        }
        // vendor and brand round-trip
        CpuidLeaf l0 = r.leaf(0, 0);
        assertEquals("GenuineIntel", string(l0.ebx(), l0.edx(), l0.ecx()));
        StringBuilder brand = new StringBuilder();
        for (int i = 2; i <= 4; i++) {
            CpuidLeaf b = r.leaf(0x80000000 + i, 0);
            brand.append(string(b.eax(), b.ebx(), b.ecx(), b.edx()));
        }
        assertEquals(model(name).brand(), brand.toString().replace("\0", ""));
        assertEquals(0x80000008, r.leaf(0x80000000, 0).eax());
        assertEquals(0x40000001, r.leaf(0x40000000, 0).eax());
        assertEquals("hvkithvkit\0\0", string(r.leaf(0x40000000, 0).ebx(), r.leaf(0x40000000, 0).ecx(), r.leaf(0x40000000, 0).edx()));
    }

    static String string(int... words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) b.putInt(w);
        return new String(b.array(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void sandyBridgeHwCapsMatchTheRealPartsRegisters() {
        // The E5-2670's CPUID feature words as Xen prints them (the values the simulated host used
        // before this bundle), not derived from the feature table.
        assertArrayEquals(new int[] {0xbfebfbff, 0x2c100800, 0, 0, 0x1fbee3ff, 0, 0x00000001, 0}, model("SandyBridge").hwCaps());
        assertEquals("bfebfbff:2c100800:00000000:00000000:1fbee3ff:00000000:00000001:00000000", HwCaps.format(model("SandyBridge").hwCaps()));
    }

    @Test
    void hwCapsFollowTheFeatureSet() {
        int[] hsw = model("Haswell").hwCaps();
        assertEquals(1 << 3 | 1 << 5 | 1 << 8 | 1 << 0 | 1 << 1 | 1 << 7 | 1 << 9 | 1 << 10, hsw[7],
                "7.0 EBX: fsgsbase, tsc_adjust, bmi1, avx2, smep, bmi2, erms, invpcid");
        assertEquals(1 << 0 | 1 << 5, hsw[6], "0x80000001 ECX: lahf_lm, abm");
        assertTrue((hsw[4] >>> FMA & 1) == 1 && (hsw[4] >>> MOVBE & 1) == 1 && (hsw[4] >>> F16C & 1) == 1 && (hsw[4] >>> RDRAND & 1) == 1);
        int[] skx = model("SkylakeServer").hwCaps();
        assertEquals(0xd19f4fbb, skx[7], "Skylake-SP 7.0 EBX");
        int[] nhm = model("Nehalem").hwCaps();
        assertEquals(0, nhm[4] >>> OSXSAVE & 1, "no XSAVE, no OSXSAVE");
        assertEquals(0, nhm[7]);
        assertEquals(0x28100800, nhm[1], "Nehalem has no 1 GB pages");
        for (int[] w : List.of(hsw, skx, nhm)) {
            assertEquals(8, w.length);
            assertEquals(0, w[2]);
            assertEquals(0, w[3]);
            assertEquals(0, w[5]);
        }
    }

    @Test
    void icelakeAndSapphireRapidsExtras() {
        CpuidResult icx = compute("IcelakeServer", 1);
        assertTrue(bit(icx, 7, 0, CpuidLeaf.ECX, AVX512VBMI) && bit(icx, 7, 0, CpuidLeaf.ECX, AVX512VBMI2) && bit(icx, 7, 0, CpuidLeaf.ECX, AVX512VNNI));
        assertTrue(bit(icx, 7, 0, CpuidLeaf.ECX, LA57));
        assertFalse(bit(icx, 7, 0, CpuidLeaf.EBX, MPX), "Ice Lake dropped MPX");
        assertEquals(46 | 57 << 8, icx.leaf(0x80000008, 0).eax());
        assertNull(icx.leaf(0x1F, 0), "0x1F only from max leaf 0x1F on");
        assertEquals(0x1B, icx.leaf(0, 0).eax());
        CpuidResult spr = compute("SapphireRapids", 1);
        assertTrue(bit(spr, 7, 0, CpuidLeaf.EDX, AMX_TILE) && bit(spr, 7, 0, CpuidLeaf.EDX, AVX512FP16));
        assertEquals(1, spr.leaf(7, 0).eax(), "7.1 present");
        assertEquals(1 << 4 | 1 << 5, spr.leaf(7, 1).eax(), "AVX-VNNI, AVX512_BF16");
        assertEquals(new CpuidLeaf(0xD, 17, 64, 2752, 0, 0), spr.leaf(0xD, 17));
        assertEquals(new CpuidLeaf(0xD, 18, 8192, 2816, 2, 0), spr.leaf(0xD, 18));
        assertEquals(new CpuidLeaf(0x1F, 0, 0, 1, 0x100, 0), spr.leaf(0x1F, 0), "0x1F SMT level");
        assertEquals(new CpuidLeaf(0x1F, 1, 0, 1, 0x201, 0), spr.leaf(0x1F, 1), "0x1F core level");
        assertEquals(new CpuidLeaf(0x1F, 2, 0, 0, 2, 0), spr.leaf(0x1F, 2), "0x1F end");
        assertEquals(0x20, spr.leaf(0, 0).eax());
        CpuidResult skx = compute("SkylakeServer", 1);
        assertEquals(0b1111, skx.leaf(0xD, 1).eax(), "XSAVEOPT, XSAVEC, XGETBV1, XSAVES");
        // compacted: 576 + 256 + 64 + 64 + 64 + 512 + 1024 + 8
        assertEquals(576 + 256 + 64 + 64 + 64 + 512 + 1024 + 8, skx.leaf(0xD, 1).ebx());
        assertEquals(skx.xsaveCompactedSize(), skx.leaf(0xD, 1).ebx());
        assertEquals(576, skx.xsaveSize(3));
        assertEquals(832, skx.xsaveSize(7));
        assertEquals(2688, skx.xsaveSize(0xE7));
        assertEquals(0, compute("Nehalem", 1).xsaveSize(7));
    }

    @Test
    void cachesInLeaf4AndExtendedL2() {
        CpuidResult r = compute("SandyBridge", 1);
        CpuidLeaf l1d = r.leaf(4, 0);
        assertEquals(1, l1d.eax() & 0x1F, "data");
        assertEquals(1, l1d.eax() >> 5 & 7, "level 1");
        assertEquals(63, l1d.ebx() & 0xFFF, "64-byte lines");
        assertEquals(7, l1d.ebx() >>> 22, "8 ways");
        assertEquals(63, l1d.ecx(), "64 sets: 32 KiB");
        CpuidLeaf l3 = r.leaf(4, 3);
        assertEquals(3, l3.eax() & 0x1F);
        assertEquals(20480 * 1024 / (20 * 64) - 1, l3.ecx());
        assertEquals(0, r.leaf(4, 4).eax(), "null descriptor ends the list");
        assertEquals(256 << 16 | 6 << 12 | 64, r.leaf(0x80000006, 0).ecx(), "L2 256 KiB 8-way");
    }
}
