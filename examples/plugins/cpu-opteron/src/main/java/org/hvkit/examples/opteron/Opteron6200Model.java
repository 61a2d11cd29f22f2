package org.hvkit.examples.opteron;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hvkit.api.cpu.CpuModel;
import org.osgi.service.component.annotations.Component;

/**
 * An AMD Opteron 6200 ("Interlagos", Bulldozer, family 15h model 01h stepping 2), the server CPU
 * of Xen 4.2's time, as a service. The simulated host takes it with
 * {@code -Dhvkit.sim.cpu=Opteron6200}; {@code xl info} then shows its MHz and hw_caps.
 */
@Component(service = CpuModel.class, property = "hvkit.cpu.model=Opteron6200")
public final class Opteron6200Model implements CpuModel {
    /**
     * Feature name to (hw_caps word, bit). Words as xl info prints them: 0 CPUID 1 EDX, 1 0x80000001
     * EDX, 4 CPUID 1 ECX, 6 0x80000001 ECX (2, 3, 5 and 7 have nothing on this CPU).
     */
    static final Map<String, int[]> BITS = Map.ofEntries(
            bit("fpu", 0, 0), bit("vme", 0, 1), bit("de", 0, 2), bit("pse", 0, 3), bit("tsc", 0, 4), bit("msr", 0, 5),
            bit("pae", 0, 6), bit("mce", 0, 7), bit("cx8", 0, 8), bit("apic", 0, 9), bit("sep", 0, 11), bit("mtrr", 0, 12),
            bit("pge", 0, 13), bit("mca", 0, 14), bit("cmov", 0, 15), bit("pat", 0, 16), bit("pse36", 0, 17),
            bit("clflush", 0, 19), bit("mmx", 0, 23), bit("fxsr", 0, 24), bit("sse", 0, 25), bit("sse2", 0, 26), bit("ht", 0, 28),
            bit("syscall", 1, 11), bit("nx", 1, 20), bit("mmxext", 1, 22), bit("fxsr_opt", 1, 25), bit("pdpe1gb", 1, 26),
            bit("rdtscp", 1, 27), bit("lm", 1, 29),
            bit("pni", 4, 0), bit("pclmulqdq", 4, 1), bit("monitor", 4, 3), bit("ssse3", 4, 9), bit("cx16", 4, 13),
            bit("sse4_1", 4, 19), bit("sse4_2", 4, 20), bit("popcnt", 4, 23), bit("aes", 4, 25), bit("xsave", 4, 26), bit("avx", 4, 28),
            bit("lahf_lm", 6, 0), bit("cmp_legacy", 6, 1), bit("svm", 6, 2), bit("extapic", 6, 3), bit("cr8_legacy", 6, 4),
            bit("abm", 6, 5), bit("sse4a", 6, 6), bit("misalignsse", 6, 7), bit("3dnowprefetch", 6, 8), bit("osvw", 6, 9),
            bit("ibs", 6, 10), bit("xop", 6, 11), bit("skinit", 6, 12), bit("wdt", 6, 13), bit("lwp", 6, 15), bit("fma4", 6, 16),
            bit("nodeid_msr", 6, 19), bit("topoext", 6, 22));

    /** Every feature in the table: Bulldozer has all of them (and no FMA3, F16C or AVX2). */
    private static final Set<String> FEATURES = new TreeSet<>(BITS.keySet());

    private static Map.Entry<String, int[]> bit(String name, int word, int bit) {
        return Map.entry(name, new int[] {word, bit});
    }

    @Override public String name() { return "Opteron6200"; }
    @Override public String vendor() { return "AuthenticAMD"; }
    @Override public int family() { return 0x15; }
    @Override public int model() { return 0x01; }
    @Override public int stepping() { return 2; }
    @Override public String brand() { return "AMD Opteron(TM) Processor 6276"; }
    @Override public Set<String> features() { return FEATURES; }
    @Override public int mhz() { return 2300; }

    @Override
    public int[] hwCaps() {
        int[] words = new int[8];
        for (String f : FEATURES) {
            int[] wb = BITS.get(f);
            words[wb[0]] |= 1 << wb[1];
        }
        return words;
    }
}
