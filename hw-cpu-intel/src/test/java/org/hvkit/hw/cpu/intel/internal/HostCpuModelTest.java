package org.hvkit.hw.cpu.intel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hvkit.api.cpu.CpuCache;
import org.hvkit.api.cpu.CpuidResult;
import org.hvkit.api.cpu.GuestCpuTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostCpuModelTest {
    static final String CPUINFO = """
            processor	: 0
            vendor_id	: GenuineIntel
            cpu family	: 6
            model		: 85
            model name	: Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz
            stepping	: 4
            cpu MHz		: 2394.375
            cpuid level	: 22
            flags		: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand hypervisor lahf_lm abm 3dnowprefetch fsgsbase bmi1 avx2 smep bmi2 erms invpcid avx512f avx512dq rdseed adx smap clflushopt clwb avx512cd avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves arat pku ospke
            address sizes	: 46 bits physical, 48 bits virtual

            processor	: 1
            vendor_id	: GenuineIntel
            flags		: fpu
            """;

    @Test
    void parsesTheFirstProcessor(@TempDir Path tmp) throws Exception {
        Path info = tmp.resolve("cpuinfo");
        Files.writeString(info, CPUINFO);
        HostCpuModel m = new HostCpuModel(info, tmp.resolve("nocache"));
        assertTrue(m.probed());
        assertEquals("host", m.name());
        assertEquals(6, m.family());
        assertEquals(85, m.model());
        assertEquals(4, m.stepping());
        assertEquals(2394, m.mhz());
        assertEquals(22, m.maxBasicLeaf());
        assertEquals(46, m.physAddressBits());
        assertTrue(m.features().contains("avx512f") && m.features().contains("constant_tsc"));
        assertEquals(1, m.hwCaps()[4] >>> 31, "the host runs under a hypervisor: bit 31 of 1.ECX");
        CpuidResult r = ModelsTest.POLICY.compute(m, null, "host,avx=0", GuestCpuTopology.flat(4));
        assertFalse(r.has("avx512f"));
        assertFalse(r.has("ospke"), "OSPKE is guest state");
        assertEquals(0x50654, r.leaf(1, 0).eax());
        assertEquals(2394, r.leaf(0x16, 0).eax());
    }

    @Test
    void readsLinuxCacheDirectories(@TempDir Path tmp) throws Exception {
        String[][] idx = {{"1", "Data", "8", "64", "64"}, {"1", "Instruction", "8", "64", "64"}, {"2", "Unified", "16", "64", "1024"},
            {"3", "Unified", "11", "64", "40960"}};
        for (int i = 0; i < idx.length; i++) {
            Path d = Files.createDirectories(tmp.resolve("index" + i));
            Files.writeString(d.resolve("level"), idx[i][0] + "\n");
            Files.writeString(d.resolve("type"), idx[i][1] + "\n");
            Files.writeString(d.resolve("ways_of_associativity"), idx[i][2] + "\n");
            Files.writeString(d.resolve("coherency_line_size"), idx[i][3] + "\n");
            Files.writeString(d.resolve("number_of_sets"), idx[i][4] + "\n");
        }
        List<CpuCache> c = HostCpuModel.readCaches(tmp);
        assertEquals(List.of(new CpuCache(1, "data", 32, 8, 64, true), new CpuCache(1, "instruction", 32, 8, 64, true),
                new CpuCache(2, "unified", 1024, 16, 64, true), new CpuCache(3, "unified", 28160, 11, 64, false)), c);
    }

    @Test
    void fallsBackWithoutProcCpuinfo(@TempDir Path tmp) {
        HostCpuModel m = new HostCpuModel(tmp.resolve("missing"), tmp);
        assertFalse(m.probed());
        assertEquals("host", m.name());
        assertEquals(45, m.model());
    }

    @Test
    void thisMachine() {
        HostCpuModel m = new HostCpuModel();
        if (!Files.isReadable(Path.of("/proc/cpuinfo"))) return;
        assertTrue(m.probed());
        CpuidResult r = ModelsTest.POLICY.compute(m, null, (String) null, GuestCpuTopology.flat(2));
        assertEquals(m.features().contains("avx"), r.has("avx"));
    }
}
