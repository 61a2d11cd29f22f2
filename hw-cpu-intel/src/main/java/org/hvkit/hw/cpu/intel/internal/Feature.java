package org.hvkit.hw.cpu.intel.internal;

import static org.hvkit.api.cpu.CpuidLeaf.EBX;
import static org.hvkit.api.cpu.CpuidLeaf.ECX;
import static org.hvkit.api.cpu.CpuidLeaf.EDX;
import static org.hvkit.api.cpu.CpuidLeaf.EAX;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A CPUID feature bit, named as Linux names it in /proc/cpuinfo, with its position (Intel SDM
 * vol. 2A, CPUID) and the features it needs. The table is the one place where names, bit positions
 * and dependencies are written down; models, hw_caps, the policy and the option parser read it.
 *
 * @param name     Linux flag name (canonical)
 * @param leaf     CPUID leaf
 * @param subleaf  CPUID subleaf (0 for non-indexed leaves)
 * @param reg      register, {@link org.hvkit.api.cpu.CpuidLeaf#EAX}..EDX
 * @param bit      0..31
 * @param requires features this one is meaningless without: hiding one of them hides this one
 */
record Feature(String name, int leaf, int subleaf, int reg, int bit, List<String> requires) {
    static final int EXT = 0x80000001;

    private static final Map<String, Feature> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = new LinkedHashMap<>();

    private static void f(String name, int leaf, int sub, int reg, int bit, String... requires) {
        Feature f = new Feature(name, leaf, sub, reg, bit, List.of(requires));
        if (BY_NAME.put(name, f) != null) throw new IllegalStateException("duplicate feature " + name);
    }

    private static void alias(String alias, String name) {
        ALIASES.put(alias, name);
    }

    static {
        // CPUID.1:EDX
        f("fpu", 1, 0, EDX, 0);
        f("vme", 1, 0, EDX, 1);
        f("de", 1, 0, EDX, 2);
        f("pse", 1, 0, EDX, 3);
        f("tsc", 1, 0, EDX, 4);
        f("msr", 1, 0, EDX, 5);
        f("pae", 1, 0, EDX, 6);
        f("mce", 1, 0, EDX, 7);
        f("cx8", 1, 0, EDX, 8);
        f("apic", 1, 0, EDX, 9);
        f("sep", 1, 0, EDX, 11);
        f("mtrr", 1, 0, EDX, 12);
        f("pge", 1, 0, EDX, 13);
        f("mca", 1, 0, EDX, 14);
        f("cmov", 1, 0, EDX, 15);
        f("pat", 1, 0, EDX, 16);
        f("pse36", 1, 0, EDX, 17);
        f("pn", 1, 0, EDX, 18);
        f("clflush", 1, 0, EDX, 19);
        f("dts", 1, 0, EDX, 21);
        f("acpi", 1, 0, EDX, 22);
        f("mmx", 1, 0, EDX, 23);
        f("fxsr", 1, 0, EDX, 24);
        f("sse", 1, 0, EDX, 25, "fxsr");
        f("sse2", 1, 0, EDX, 26, "sse");
        f("ss", 1, 0, EDX, 27);
        f("ht", 1, 0, EDX, 28);
        f("tm", 1, 0, EDX, 29);
        f("ia64", 1, 0, EDX, 30);
        f("pbe", 1, 0, EDX, 31);
        // CPUID.1:ECX
        f("pni", 1, 0, ECX, 0, "sse2");
        f("pclmulqdq", 1, 0, ECX, 1, "sse2");
        f("dtes64", 1, 0, ECX, 2);
        f("monitor", 1, 0, ECX, 3);
        f("ds_cpl", 1, 0, ECX, 4);
        f("vmx", 1, 0, ECX, 5);
        f("smx", 1, 0, ECX, 6);
        f("est", 1, 0, ECX, 7);
        f("tm2", 1, 0, ECX, 8);
        f("ssse3", 1, 0, ECX, 9, "pni");
        f("cid", 1, 0, ECX, 10);
        f("sdbg", 1, 0, ECX, 11);
        f("fma", 1, 0, ECX, 12, "avx");
        f("cx16", 1, 0, ECX, 13);
        f("xtpr", 1, 0, ECX, 14);
        f("pdcm", 1, 0, ECX, 15);
        f("pcid", 1, 0, ECX, 17);
        f("dca", 1, 0, ECX, 18);
        f("sse4_1", 1, 0, ECX, 19, "ssse3");
        f("sse4_2", 1, 0, ECX, 20, "sse4_1");
        f("x2apic", 1, 0, ECX, 21, "apic");
        f("movbe", 1, 0, ECX, 22);
        f("popcnt", 1, 0, ECX, 23);
        f("tsc_deadline_timer", 1, 0, ECX, 24, "apic");
        f("aes", 1, 0, ECX, 25, "sse2");
        f("xsave", 1, 0, ECX, 26, "fxsr");
        f("osxsave", 1, 0, ECX, 27, "xsave");
        f("avx", 1, 0, ECX, 28, "xsave");
        f("f16c", 1, 0, ECX, 29, "avx");
        f("rdrand", 1, 0, ECX, 30);
        f("hypervisor", 1, 0, ECX, 31);
        // CPUID.6:EAX
        f("arat", 6, 0, EAX, 2);
        // CPUID.7.0:EBX
        f("fsgsbase", 7, 0, EBX, 0);
        f("tsc_adjust", 7, 0, EBX, 1, "tsc");
        f("sgx", 7, 0, EBX, 2);
        f("bmi1", 7, 0, EBX, 3);
        f("hle", 7, 0, EBX, 4);
        f("avx2", 7, 0, EBX, 5, "avx");
        f("fdp_excptn_only", 7, 0, EBX, 6);
        f("smep", 7, 0, EBX, 7);
        f("bmi2", 7, 0, EBX, 8);
        f("erms", 7, 0, EBX, 9);
        f("invpcid", 7, 0, EBX, 10, "pcid");
        f("rtm", 7, 0, EBX, 11);
        f("cqm", 7, 0, EBX, 12);
        f("zero_fcs_fds", 7, 0, EBX, 13);
        f("mpx", 7, 0, EBX, 14, "xsave");
        f("rdt_a", 7, 0, EBX, 15);
        f("avx512f", 7, 0, EBX, 16, "avx2", "fma", "f16c");
        f("avx512dq", 7, 0, EBX, 17, "avx512f");
        f("rdseed", 7, 0, EBX, 18);
        f("adx", 7, 0, EBX, 19);
        f("smap", 7, 0, EBX, 20);
        f("avx512ifma", 7, 0, EBX, 21, "avx512f");
        f("clflushopt", 7, 0, EBX, 23);
        f("clwb", 7, 0, EBX, 24);
        f("intel_pt", 7, 0, EBX, 25);
        f("avx512pf", 7, 0, EBX, 26, "avx512f");
        f("avx512er", 7, 0, EBX, 27, "avx512f");
        f("avx512cd", 7, 0, EBX, 28, "avx512f");
        f("sha_ni", 7, 0, EBX, 29, "sse2");
        f("avx512bw", 7, 0, EBX, 30, "avx512f");
        f("avx512vl", 7, 0, EBX, 31, "avx512f");
        // CPUID.7.0:ECX
        f("prefetchwt1", 7, 0, ECX, 0);
        f("avx512vbmi", 7, 0, ECX, 1, "avx512f");
        f("umip", 7, 0, ECX, 2);
        f("pku", 7, 0, ECX, 3);
        f("ospke", 7, 0, ECX, 4, "pku");
        f("waitpkg", 7, 0, ECX, 5);
        f("avx512_vbmi2", 7, 0, ECX, 6, "avx512f");
        f("shstk", 7, 0, ECX, 7);
        f("gfni", 7, 0, ECX, 8, "sse2");
        f("vaes", 7, 0, ECX, 9, "avx", "aes");
        f("vpclmulqdq", 7, 0, ECX, 10, "avx", "pclmulqdq");
        f("avx512_vnni", 7, 0, ECX, 11, "avx512f");
        f("avx512_bitalg", 7, 0, ECX, 12, "avx512f");
        f("tme", 7, 0, ECX, 13);
        f("avx512_vpopcntdq", 7, 0, ECX, 14, "avx512f");
        f("la57", 7, 0, ECX, 16);
        f("rdpid", 7, 0, ECX, 22);
        f("bus_lock_detect", 7, 0, ECX, 24);
        f("cldemote", 7, 0, ECX, 25);
        f("movdiri", 7, 0, ECX, 27);
        f("movdir64b", 7, 0, ECX, 28);
        f("enqcmd", 7, 0, ECX, 29);
        f("sgx_lc", 7, 0, ECX, 30, "sgx");
        // CPUID.7.0:EDX
        f("avx512_4vnniw", 7, 0, EDX, 2, "avx512f");
        f("avx512_4fmaps", 7, 0, EDX, 3, "avx512f");
        f("fsrm", 7, 0, EDX, 4);
        f("avx512_vp2intersect", 7, 0, EDX, 8, "avx512f");
        f("md_clear", 7, 0, EDX, 10);
        f("serialize", 7, 0, EDX, 14);
        f("tsxldtrk", 7, 0, EDX, 16);
        f("pconfig", 7, 0, EDX, 18);
        f("arch_lbr", 7, 0, EDX, 19);
        f("ibt", 7, 0, EDX, 20);
        f("amx_bf16", 7, 0, EDX, 22, "amx_tile");
        f("avx512_fp16", 7, 0, EDX, 23, "avx512bw");
        f("amx_tile", 7, 0, EDX, 24, "xfd");
        f("amx_int8", 7, 0, EDX, 25, "amx_tile");
        f("flush_l1d", 7, 0, EDX, 28);
        f("arch_capabilities", 7, 0, EDX, 29);
        // CPUID.7.1:EAX
        f("avx_vnni", 7, 1, EAX, 4, "avx2");
        f("avx512_bf16", 7, 1, EAX, 5, "avx512f");
        // CPUID.0xD.1:EAX
        f("xsaveopt", 0xD, 1, EAX, 0, "xsave");
        f("xsavec", 0xD, 1, EAX, 1, "xsave");
        f("xgetbv1", 0xD, 1, EAX, 2, "xsave");
        f("xsaves", 0xD, 1, EAX, 3, "xsavec");
        f("xfd", 0xD, 1, EAX, 4, "xsave");
        // CPUID.0x80000001:ECX
        f("lahf_lm", EXT, 0, ECX, 0);
        f("abm", EXT, 0, ECX, 5);
        f("3dnowprefetch", EXT, 0, ECX, 8);
        // CPUID.0x80000001:EDX
        f("syscall", EXT, 0, EDX, 11);
        f("nx", EXT, 0, EDX, 20);
        f("pdpe1gb", EXT, 0, EDX, 26, "lm");
        f("rdtscp", EXT, 0, EDX, 27, "tsc");
        f("lm", EXT, 0, EDX, 29, "pae");

        // libxl's and other spellings of the same bits
        alias("sse3", "pni");
        alias("cmpxchg8", "cx8");
        alias("cmpxchg16", "cx16");
        alias("sysenter", "sep");
        alias("psn", "pn");
        alias("clfsh", "clflush");
        alias("ds", "dts");
        alias("htt", "ht");
        alias("dscpl", "ds_cpl");
        alias("cntxid", "cid");
        alias("tsc-deadline", "tsc_deadline_timer");
        alias("tsc_deadline", "tsc_deadline_timer");
        alias("lahfsahf", "lahf_lm");
        alias("lzcnt", "abm");
        alias("prefetchw", "3dnowprefetch");
        alias("page1gb", "pdpe1gb");
        alias("sha", "sha_ni");
        alias("avx512-vnni", "avx512_vnni");
        alias("avx512-bf16", "avx512_bf16");
        alias("avx-vnni", "avx_vnni");
        alias("avx512vbmi2", "avx512_vbmi2");
        alias("avx512-vbmi2", "avx512_vbmi2");
        alias("avx512-vpopcntdq", "avx512_vpopcntdq");
        alias("avx512-bitalg", "avx512_bitalg");
        alias("avx512-fp16", "avx512_fp16");
        alias("amx-bf16", "amx_bf16");
        alias("amx-tile", "amx_tile");
        alias("amx-int8", "amx_int8");
        alias("md-clear", "md_clear");
        alias("arch-caps", "arch_capabilities");
        alias("l1d-flush", "flush_l1d");
        alias("xd", "nx");
        for (Map.Entry<String, String> a : ALIASES.entrySet())
            if (!BY_NAME.containsKey(a.getValue())) throw new IllegalStateException("alias " + a.getKey() + " of unknown " + a.getValue());
        for (Feature f : BY_NAME.values())
            for (String r : f.requires()) if (!BY_NAME.containsKey(r)) throw new IllegalStateException(f.name() + " requires unknown " + r);
    }

    /**
     * Features the hypervisor provides itself (virtual LAPIC, its own presence) or derives from the
     * guest topology (HTT): offered regardless of the host's CPUID.
     */
    static final Set<String> VIRTUALISED = Set.of("hypervisor", "x2apic", "tsc_deadline_timer", "arat", "ht");

    /** Features every guest is shown whatever its model: the hypervisor bit and the always-running LAPIC timer. */
    static final Set<String> ALWAYS_OFFERED = Set.of("hypervisor", "arat");

    /**
     * Features of the hardware a guest does not get by default: power and thermal management,
     * debug stores, VMX/SMX (nestedhvm), MONITOR/MWAIT, SGX, processor trace, WAITPKG. An explicit
     * {@code name=1} in the option offers them anyway (still subject to the host).
     */
    static final Set<String> HIDDEN = Set.of("monitor", "vmx", "smx", "est", "tm", "tm2", "acpi", "dts", "dtes64", "ds_cpl",
            "pbe", "pdcm", "xtpr", "dca", "pn", "sdbg", "cid", "ia64", "sgx", "sgx_lc", "intel_pt", "pconfig", "waitpkg", "tme",
            "cqm", "rdt_a", "arch_lbr", "bus_lock_detect", "enqcmd", "shstk", "ibt");

    /** Bits that reflect guest control-register state: never set in a table. */
    static final Set<String> GUEST_STATE = Set.of("osxsave", "ospke");

    /** The feature named {@code name} (a Linux flag or an alias, case-insensitive), or null. */
    static Feature byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        Feature f = BY_NAME.get(n);
        if (f == null && ALIASES.containsKey(n)) f = BY_NAME.get(ALIASES.get(n));
        return f;
    }

    /** Every feature, in table order. */
    static Map<String, Feature> all() {
        return Collections.unmodifiableMap(BY_NAME);
    }

    /** The feature at {@code leaf.subleaf reg[bit]}, or null if the table has none there. */
    static Feature at(int leaf, int subleaf, int reg, int bit) {
        for (Feature f : BY_NAME.values())
            if (f.leaf == leaf && f.subleaf == subleaf && f.reg == reg && f.bit == bit) return f;
        return null;
    }

    /** The mask of {@code features} in register {@code reg} of {@code leaf.subleaf}. */
    static int mask(Set<String> features, int leaf, int subleaf, int reg) {
        int m = 0;
        for (String name : features) {
            Feature f = BY_NAME.get(name);
            if (f != null && f.leaf == leaf && f.subleaf == subleaf && f.reg == reg) m |= 1 << f.bit;
        }
        return m;
    }
}
