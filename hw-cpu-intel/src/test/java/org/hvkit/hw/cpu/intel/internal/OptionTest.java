package org.hvkit.hw.cpu.intel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hvkit.api.cpu.CpuidLeaf;
import org.hvkit.api.cpu.CpuidOptionException;
import org.hvkit.api.cpu.CpuidResult;
import org.hvkit.api.cpu.GuestCpuTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cpuid= option in both forms, host filtering and the dependency table. */
class OptionTest {
    static final IntelCpuidPolicy P = ModelsTest.POLICY;
    static final GuestCpuTopology ONE = GuestCpuTopology.flat(1);

    static CpuidResult compute(String model, String option) {
        return P.compute(ModelsTest.model(model), null, option, ONE);
    }

    static final String AVX_FAMILY = "avx avx2 fma f16c avx512f avx512dq avx512cd avx512bw avx512vl avx512ifma avx512vbmi avx512_vbmi2 "
            + "avx512_vnni avx512_bitalg avx512_vpopcntdq avx512_bf16 avx512_fp16 avx_vnni vaes vpclmulqdq";

    @Test
    void hostAvxOffRemovesEverythingBuiltOnAvx() {
        CpuidResult r = compute("SapphireRapids", "host,avx=0");
        for (String f : AVX_FAMILY.split(" ")) assertFalse(r.has(f), f);
        assertTrue(r.has("xsave") && r.has("amx_tile") && r.has("pku") && r.has("sse4_2") && r.has("aes"), "the rest stays");
        CpuidLeaf l1 = r.leaf(1, 0), l7 = r.leaf(7, 0);
        assertFalse(l1.bit(CpuidLeaf.ECX, 28) || l1.bit(CpuidLeaf.ECX, 12) || l1.bit(CpuidLeaf.ECX, 29), "AVX FMA F16C");
        assertTrue(l1.bit(CpuidLeaf.ECX, 26), "XSAVE stays");
        assertFalse(l7.bit(CpuidLeaf.EBX, 5) || l7.bit(CpuidLeaf.EBX, 16) || l7.bit(CpuidLeaf.EBX, 30), "AVX2 AVX512F AVX512BW");
        assertEquals(0, r.leaf(7, 1).eax(), "AVX-VNNI, AVX512_BF16");
        assertEquals(1L | 2 | 1 << 9 | 1 << 17 | 1 << 18, r.xcr0Mask(), "x87 SSE PKRU TILECFG TILEDATA");
        assertEquals((int) r.xcr0Mask(), r.leaf(0xD, 0).eax());
        for (int i = 2; i <= 7; i++) assertEquals(new CpuidLeaf(0xD, i, 0, 0, 0, 0), r.leaf(0xD, i), "component " + i);
        assertEquals(11008, r.xsaveSize(), "TILEDATA still ends at 11008 in the standard format");
        assertEquals(576 + 8 + 64 + 8192 + 56, r.xsaveCompactedSize(), "PKRU, TILECFG, then TILEDATA aligned to 64");
        assertTrue(r.warnings().contains("cpuid: avx2 removed: it needs avx"), r.warnings().toString());
        assertTrue(r.warnings().contains("cpuid: avx512f removed: it needs avx2"), r.warnings().toString());
    }

    @Test
    void hostAvxOffOnSandyBridgeLeavesOnlyLegacyState() {
        CpuidResult r = compute("SandyBridge", "host,avx=0");
        assertEquals(3, r.xcr0Mask());
        assertEquals(576, r.xsaveSize());
        assertEquals(new CpuidLeaf(0xD, 0, 3, 576, 576, 0), r.leaf(0xD, 0));
        assertNull(r.leaf(0xD, 2));
        assertEquals(List.of(), r.warnings(), "nothing on SandyBridge depends on AVX");
    }

    @Test
    void xsaveOffTakesLeafDAndAvxWithIt() {
        CpuidResult r = compute("SkylakeServer", "host,xsave=0");
        assertFalse(r.has("avx") || r.has("avx512f") || r.has("mpx") || r.has("xsavec"));
        assertEquals(0, r.xcr0Mask());
        assertEquals(0, r.xsaveSize());
        assertEquals(new CpuidLeaf(0xD, 0, 0, 0, 0, 0), r.leaf(0xD, 0));
    }

    @Test
    void libxlSpellingsAndReenabling() {
        CpuidResult r = compute("Haswell", "host,sse3=0,tsc-deadline=0,page1gb=0,vmx=1");
        assertFalse(r.has("pni") || r.has("ssse3") || r.has("sse4_1") || r.has("sse4_2"), "SSE3 and what builds on it");
        assertFalse(r.has("tsc_deadline_timer") || r.has("pdpe1gb"));
        assertTrue(r.has("vmx"), "vmx=1 offers what is hidden by default");
        assertTrue(r.leaf(1, 0).bit(CpuidLeaf.ECX, 5));
    }

    @Test
    void osxsaveCannotBeForced() {
        CpuidResult r = compute("SandyBridge", "host,osxsave=1");
        assertFalse(r.leaf(1, 0).bit(CpuidLeaf.ECX, 27));
        assertEquals(List.of("cpuid: osxsave follows the guest's CR4.OSXSAVE and cannot be forced on; osxsave=1 ignored"), r.warnings());
        CpuidResult x = P.compute(ModelsTest.model("SandyBridge"), null, List.of("1:ecx=xxxx1xxxxxxxxxxxxxxxxxxxxxxxxxxx"), ONE);
        assertFalse(x.leaf(1, 0).bit(CpuidLeaf.ECX, 27));
        assertEquals(List.of("cpuid: osxsave follows the guest's CR4.OSXSAVE and cannot be forced on; 0x00000001,0:ecx bit 27=1 ignored"), x.warnings());
    }

    @Test
    void xendFormSetsBitsPerRegister() {
        // bit 31 first: position 3 is bit 28 (AVX), the last is bit 0 (SSE3)
        CpuidResult r = P.compute(ModelsTest.model("Haswell"), null,
                List.of("1:ecx=xxx0xxxxxxxxxxxxxxxxxxxxxxxxxxxx", "0x80000008:ecx=xxxxxxxxxxxxxxxxxxxxxxxx00000111,ebx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1"), ONE);
        assertFalse(r.has("avx") || r.has("avx2") || r.has("fma") || r.has("f16c"));
        assertTrue(r.has("pni"));
        assertEquals(7, r.leaf(0x80000008, 0).ecx(), "raw bits outside the feature table");
        assertEquals(1, r.leaf(0x80000008, 0).ebx());
        assertEquals(3, r.xcr0Mask());
        // 7,0 with subleaf: hide AVX2 only
        CpuidResult s = P.compute(ModelsTest.model("Haswell"), null, List.of("7,0:ebx=xxxxxxxxxxxxxxxxxxxxxxxxxx0xxxxx"), ONE);
        assertFalse(s.has("avx2"));
        assertTrue(s.has("avx") && s.has("fma"));
        assertEquals(List.of(), s.warnings());
    }

    @Test
    void xendKTakesTheHostsBit() {
        List<CpuidLeaf> host = hostOf("Haswell");
        // 'k' on AVX2 (a feature) and on leaf 6 EAX bit 0 (raw): the host has AVX2 and no bit 0
        CpuidResult r = P.compute(ModelsTest.model("SandyBridge"), host,
                List.of("7:ebx=" + bits(5, 'k'), "6:eax=" + bits(31, '1', 0, 'k')), ONE);
        assertTrue(r.has("avx2"), "k takes the host's AVX2");
        assertEquals(1 << 31 | 1 << 2, r.leaf(6, 0).eax(), "bit 31 forced, bit 0 from the host (0), ARAT");
    }

    /** A 32-character xend bit string, bit 31 first: 'x' except the given (bit, char) pairs. */
    static String bits(Object... pairs) {
        char[] c = "x".repeat(32).toCharArray();
        for (int i = 0; i < pairs.length; i += 2) c[31 - (Integer) pairs[i]] = (Character) pairs[i + 1];
        return new String(c);
    }

    /** The table a policy computes for {@code model}, as a stand-in for KVM_GET_SUPPORTED_CPUID. */
    static List<CpuidLeaf> hostOf(String model) {
        return P.compute(ModelsTest.model(model), null, (String) null, ONE).leaves();
    }

    @Test
    void featuresTheHostLacksAreRemovedWithAWarning() {
        CpuidResult r = P.compute(ModelsTest.model("SkylakeServer"), hostOf("Broadwell"), (String) null, ONE);
        for (String f : "avx512f avx512dq avx512cd avx512bw avx512vl mpx clflushopt clwb xsavec xgetbv1 xsaves pku".split(" "))
            assertFalse(r.has(f), f);
        assertTrue(r.has("avx2") && r.has("fma"));
        assertEquals(7, r.xcr0Mask());
        assertEquals(832, r.xsaveSize());
        assertTrue(r.warnings().contains("cpuid: avx512f is not supported by the host, removed"), r.warnings().toString());
        assertFalse(r.leaf(7, 0).bit(CpuidLeaf.EBX, 16));
    }

    @Test
    void hostXcr0WithoutAvxStateRemovesAvx() {
        List<CpuidLeaf> host = new ArrayList<>(hostOf("SandyBridge"));
        host.replaceAll(l -> l.leaf() == 0xD && l.subleaf() == 0 ? l.withReg(CpuidLeaf.EAX, 3) : l);
        CpuidResult r = P.compute(ModelsTest.model("SandyBridge"), host, (String) null, ONE);
        assertFalse(r.has("avx"));
        assertEquals(3, r.xcr0Mask());
        assertEquals(List.of("cpuid: avx removed: the host's XCR0 lacks AVX (YMM_Hi128) state (bit 2)"), r.warnings());
    }

    @Test
    void virtualisedFeaturesSurviveAHostWithoutThem() {
        List<CpuidLeaf> host = new ArrayList<>(hostOf("SandyBridge"));
        host.replaceAll(l -> l.leaf() == 1 ? l.withReg(CpuidLeaf.ECX, l.ecx() & ~(1 << 24 | 1 << 21)) : l); // KVM reports no TSC-deadline bit
        CpuidResult r = P.compute(ModelsTest.model("SandyBridge"), host, (String) null, ONE);
        assertTrue(r.has("tsc_deadline_timer") && r.has("x2apic"));
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void kvmParavirtLeavesMoveUp() {
        List<CpuidLeaf> host = new ArrayList<>(hostOf("SandyBridge"));
        host.removeIf(l -> (l.leaf() & 0xFFFFFF00) == 0x40000000);
        host.add(new CpuidLeaf(0x40000000, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x4d)); // "KVMKVMKVM\0\0\0"
        host.add(new CpuidLeaf(0x40000001, 0, 0x01007afb, 0, 0, 0));
        CpuidResult r = P.compute(ModelsTest.model("SandyBridge"), host, (String) null, ONE);
        assertEquals(new CpuidLeaf(0x40000100, 0, 0x40000101, 0x4b4d564b, 0x564b4d56, 0x4d), r.leaf(0x40000100, 0));
        assertEquals(0x01007afb, r.leaf(0x40000101, 0).eax());
        assertEquals(0x40000001, r.leaf(0x40000000, 0).eax(), "hvkit's own leaves stay at 0x40000000");
    }

    @Test
    void numericKeys() {
        CpuidResult r = compute("SandyBridge", "host,family=21,model=2,stepping=0,clflush=16,maxhvleaf=3,nc=7,apicidsize=4");
        assertEquals(0x00600F20, r.leaf(1, 0).eax());
        assertEquals(16, r.leaf(1, 0).ebx() >>> 8 & 0xFF);
        assertEquals(0x40000003, r.leaf(0x40000000, 0).eax());
        assertEquals(new CpuidLeaf(0x40000003, 0, 0, 0, 0, 0), r.leaf(0x40000003, 0));
        assertEquals(4 << 12 | 7, r.leaf(0x80000008, 0).ecx());
        CpuidResult m = compute("SkylakeServer", "host,maxleaf=0xb");
        assertEquals(0xB, m.leaf(0, 0).eax());
        assertNull(m.leaf(0xD, 0));
        assertFalse(m.has("xsave") || m.has("avx"));
        assertTrue(m.has("avx512f") == false && m.has("sse4_2"));
        assertTrue(m.warnings().contains("cpuid: xsave removed: maxleaf=0xb hides leaf 0xd"), m.warnings().toString());
    }

    @Test
    void aModelNameAsFirstWord() {
        CpuidResult r = P.compute(ModelsTest.model("SapphireRapids"), null, "Westmere,aes=0", ONE);
        assertEquals(0x206C2, r.leaf(1, 0).eax());
        assertFalse(r.has("aes") || r.has("avx"));
        assertTrue(r.has("pclmulqdq"));
        assertTrue(P.modelNames().contains("SkylakeServer"));
    }

    @Test
    void aThirdPartyModelRegisteredAsAServiceIsFoundByName() {
        IntelCpuidPolicy p = new IntelCpuidPolicy();
        org.hvkit.api.cpu.CpuModel plain = new org.hvkit.api.cpu.CpuModel() {
            public String name() { return "Plain"; }
            public String vendor() { return "GenuineIntel"; }
            public int family() { return 6; }
            public int model() { return 0x9A; }
            public int stepping() { return 3; }
            public String brand() { return "Plain test part"; }
            public java.util.Set<String> features() { return java.util.Set.of("fpu", "fxsr", "sse", "sse2", "xsave", "avx", "avx2", "lm", "pae"); }
            public int mhz() { return 2100; }
            public int[] hwCaps() { return IntelCpuModel.hwCaps(features()); }
        };
        p.addModel(plain, java.util.Map.of(IntelCpuModel.MODEL_PROPERTY, "Plain"));
        assertEquals(List.of("Plain"), p.modelNames());
        CpuidResult r = p.compute(ModelsTest.model("Nehalem"), null, "Plain,avx2=0", ONE);
        assertEquals(0x906A3, r.leaf(1, 0).eax());
        assertTrue(r.has("avx") && !r.has("avx2"));
        assertEquals(7, r.xcr0Mask());
        assertEquals(0xD, r.leaf(0, 0).eax(), "default max basic leaf of a plain CpuModel");
        assertEquals(new CpuidLeaf(4, 3, 0x163, 0x3C0003F, 8191, 0), r.leaf(4, 3), "default 8 MiB 16-way L3");
        p.removeModel(plain, java.util.Map.of(IntelCpuModel.MODEL_PROPERTY, "Plain"));
        assertEquals(List.of(), p.modelNames());
    }

    @Test
    void everyBasicAndExtendedLeafIsExplicit() {
        CpuidResult r = compute("CascadeLake", null);
        int max = r.leaf(0, 0).eax();
        for (int l = 0; l <= max; l++) {
            int leaf = l;
            assertTrue(r.leaves().stream().anyMatch(x -> x.leaf() == leaf), "leaf " + l);
        }
        for (int l = 0x80000000; l <= 0x80000008; l++) assertTrue(r.leaf(l, 0) != null, Integer.toHexString(l));
        for (int i = 1; i < r.leaves().size(); i++) {
            CpuidLeaf a = r.leaves().get(i - 1), b = r.leaves().get(i);
            long ka = (a.leaf() & 0xFFFFFFFFL) << 32 | a.subleaf(), kb = (b.leaf() & 0xFFFFFFFFL) << 32 | b.subleaf();
            assertTrue(Long.compareUnsigned(ka, kb) < 0, "sorted: " + a + " before " + b);
        }
        assertEquals(2500, r.leaf(0x16, 0).eax());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "host,avxx=0 | cpuid option \"host,avxx=0\", column 6: unknown CPUID feature \"avxx\"",
        "host,avx=2 | cpuid option \"host,avx=2\", column 10: value of avx must be 0, 1, x, k or s, not \"2\"",
        "host,avx | cpuid option \"host,avx\", column 6: expected name=value, got \"avx\"",
        "avx=0,host | cpuid option \"avx=0,host\", column 7: \"host\" must be the first item",
        "host,,avx=0 | cpuid option \"host,,avx=0\", column 6: empty item",
        "host,family=300 | cpuid option \"host,family=300\", column 13: family must be 0..270, not 300",
        "host,model=abc | cpuid option \"host,model=abc\", column 12: value of model must be a number, not \"abc\"",
        "host, =1 | cpuid option \"host, =1\", column 7: missing name before \"=\"",
        "Skylake,avx=0 | cpuid option \"Skylake,avx=0\", column 1: unknown CPU model \"Skylake\"; known: host, Broadwell, CascadeLake, Haswell, IcelakeServer, IvyBridge, Nehalem, SandyBridge, SapphireRapids, SkylakeServer, Westmere",
        "1:ecx=xx | cpuid option \"1:ecx=xx\", column 7: ecx needs 32 bit characters (bit 31 first), got 2",
        "1:ecz=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx | cpuid option \"1:ecz=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", column 3: unknown register \"ecz\"; expected eax, ebx, ecx or edx",
        "1:ecx=xxxqxxxxxxxxxxxxxxxxxxxxxxxxxxxx | cpuid option \"1:ecx=xxxqxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", column 10: bit 28 of ecx is \"q\"; expected 1, 0, x, k or s",
        "zz:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx | cpuid option \"zz:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", column 1: leaf \"zz\" is not a number",
        "7,q:ebx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx | cpuid option \"7,q:ebx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", column 3: subleaf \"q\" is not a number",
        "1:ecx | cpuid option \"1:ecx\", column 3: expected reg=bits, got \"ecx\"",
    })
    void malformedOptions(String option, String message) {
        CpuidOptionException e = assertThrows(CpuidOptionException.class, () -> compute("SandyBridge", option));
        assertEquals(message, e.getMessage());
    }

    @Test
    void malformedListElementNamesTheElement() {
        CpuidOptionException e = assertThrows(CpuidOptionException.class, () -> P.compute(ModelsTest.model("SandyBridge"), null,
                List.of("1:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "0x80000001:edx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), ONE));
        assertEquals("cpuid option element 2 \"0x80000001:edx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", column 16: edx needs 32 bit characters (bit 31 first), got 31",
                e.getMessage());
        assertEquals(2, e.element());
        assertEquals(16, e.column());
    }
}
