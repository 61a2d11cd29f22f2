package org.hvkit.platform.sim.internal;

import java.util.Set;
import org.hvkit.api.cpu.CpuModel;

/**
 * The simulated host's CPU until a CPU-model bundle supplies one: a Sandy Bridge-EP class Xeon.
 * The hw_caps words are that part's CPUID feature registers.
 */
final class SimCpuModel implements CpuModel {
    @Override public String name() { return "SandyBridge"; }
    @Override public String vendor() { return "GenuineIntel"; }
    @Override public int family() { return 6; }
    @Override public int model() { return 45; }
    @Override public int stepping() { return 7; }
    @Override public String brand() { return "Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz (simulated)"; }
    @Override public int mhz() { return 2600; }

    @Override
    public Set<String> features() {
        return Set.of("fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", "sep", "mtrr", "pge", "mca",
                "cmov", "pat", "pse36", "clflush", "mmx", "fxsr", "sse", "sse2", "ht", "syscall", "nx", "pdpe1gb", "rdtscp",
                "lm", "sse3", "pclmulqdq", "ssse3", "cx16", "sse4_1", "sse4_2", "x2apic", "popcnt", "tsc_deadline_timer",
                "aes", "xsave", "avx", "lahf_lm", "vmx");
    }

    @Override
    public int[] hwCaps() {
        // CPUID.1:EDX, 0x80000001:EDX, Transmeta, Linux-defined, CPUID.1:ECX, VIA, 0x80000001:ECX, CPUID.7.0:EBX
        return new int[] {0xbfebfbff, 0x2c100800, 0x00000000, 0x00000000, 0x1fbee3ff, 0x00000000, 0x00000001, 0x00000000};
    }
}
