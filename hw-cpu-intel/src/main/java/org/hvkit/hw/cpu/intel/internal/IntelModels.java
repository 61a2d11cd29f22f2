package org.hvkit.hw.cpu.intel.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hvkit.api.cpu.CpuCache;

/**
 * The specs of the named models: family 6 Xeon server parts, each described by a representative
 * SKU (brand, stepping, frequency, caches). Feature sets grow generation by generation as Intel
 * documents them; each is written as the previous one plus (and minus) what changed.
 */
final class IntelModels {
    private IntelModels() {
    }

    static final String VENDOR = "GenuineIntel";

    private static Set<String> set(Set<String> base, String add, String remove) {
        Set<String> s = new LinkedHashSet<>(base);
        if (!add.isBlank()) s.addAll(List.of(add.trim().split("\\s+")));
        if (!remove.isBlank()) s.removeAll(List.of(remove.trim().split("\\s+")));
        return s;
    }

    private static List<CpuCache> caches(int l1dKb, int l1dWays, int l1iKb, int l1iWays, int l2Kb, int l2Ways, int l3Kb, int l3Ways) {
        List<CpuCache> c = new ArrayList<>();
        c.add(new CpuCache(1, "data", l1dKb, l1dWays, 64, true));
        c.add(new CpuCache(1, "instruction", l1iKb, l1iWays, 64, true));
        c.add(new CpuCache(2, "unified", l2Kb, l2Ways, 64, true));
        c.add(new CpuCache(3, "unified", l3Kb, l3Ways, 64, false));
        return c;
    }

    static final Set<String> NEHALEM_FEATURES = set(Set.of(), """
            fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr sse sse2
            ss ht tm pbe syscall nx rdtscp lm pni dtes64 monitor ds_cpl vmx smx est tm2 ssse3 cx16 xtpr pdcm dca sse4_1 sse4_2
            popcnt lahf_lm""", "");
    static final Set<String> WESTMERE_FEATURES = set(NEHALEM_FEATURES, "pclmulqdq aes pdpe1gb pcid arat", "");
    static final Set<String> SANDYBRIDGE_FEATURES = set(WESTMERE_FEATURES, "x2apic tsc_deadline_timer xsave avx xsaveopt", "");
    static final Set<String> IVYBRIDGE_FEATURES = set(SANDYBRIDGE_FEATURES, "f16c rdrand fsgsbase smep erms", "");
    static final Set<String> HASWELL_FEATURES = set(IVYBRIDGE_FEATURES, "fma movbe avx2 bmi1 bmi2 invpcid abm tsc_adjust", "");
    static final Set<String> BROADWELL_FEATURES = set(HASWELL_FEATURES, "rdseed adx smap 3dnowprefetch hle rtm", "");
    static final Set<String> SKYLAKE_SERVER_FEATURES = set(BROADWELL_FEATURES,
            "avx512f avx512dq avx512cd avx512bw avx512vl clflushopt clwb mpx xsavec xgetbv1 xsaves pku", "");
    static final Set<String> CASCADELAKE_FEATURES = set(SKYLAKE_SERVER_FEATURES, "avx512_vnni md_clear flush_l1d arch_capabilities", "");
    static final Set<String> ICELAKE_SERVER_FEATURES = set(CASCADELAKE_FEATURES, """
            avx512ifma avx512vbmi avx512_vbmi2 gfni vaes vpclmulqdq avx512_bitalg avx512_vpopcntdq sha_ni rdpid umip la57
            fsrm""", "mpx hle");
    static final Set<String> SAPPHIRERAPIDS_FEATURES = set(ICELAKE_SERVER_FEATURES, """
            avx512_bf16 avx_vnni amx_bf16 amx_tile amx_int8 xfd avx512_fp16 serialize tsxldtrk movdiri movdir64b cldemote
            waitpkg bus_lock_detect""", "");

    static final Map<String, IntelCpuModel.Spec> SPECS = new LinkedHashMap<>();

    private static void spec(String name, int model, int stepping, String brand, int mhz, Set<String> features, List<CpuCache> caches,
            int physBits, int virtBits, int maxLeaf) {
        SPECS.put(name, new IntelCpuModel.Spec(name, VENDOR, 6, model, stepping, brand, mhz, features, caches, physBits, virtBits, maxLeaf));
    }

    static {
        spec("Nehalem", 0x1A, 5, "Intel(R) Xeon(R) CPU           X5570  @ 2.93GHz", 2933, NEHALEM_FEATURES,
                caches(32, 8, 32, 4, 256, 8, 8192, 16), 40, 48, 0xB);
        spec("Westmere", 0x2C, 2, "Intel(R) Xeon(R) CPU           X5670  @ 2.93GHz", 2933, WESTMERE_FEATURES,
                caches(32, 8, 32, 4, 256, 8, 12288, 16), 40, 48, 0xB);
        spec("SandyBridge", 0x2D, 7, "Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz", 2600, SANDYBRIDGE_FEATURES,
                caches(32, 8, 32, 8, 256, 8, 20480, 20), 46, 48, 0xD);
        spec("IvyBridge", 0x3E, 4, "Intel(R) Xeon(R) CPU E5-2680 v2 @ 2.80GHz", 2800, IVYBRIDGE_FEATURES,
                caches(32, 8, 32, 8, 256, 8, 25600, 20), 46, 48, 0xD);
        spec("Haswell", 0x3F, 2, "Intel(R) Xeon(R) CPU E5-2690 v3 @ 2.60GHz", 2600, HASWELL_FEATURES,
                caches(32, 8, 32, 8, 256, 8, 30720, 20), 46, 48, 0xD);
        spec("Broadwell", 0x4F, 1, "Intel(R) Xeon(R) CPU E5-2699 v4 @ 2.20GHz", 2200, BROADWELL_FEATURES,
                caches(32, 8, 32, 8, 256, 8, 56320, 20), 46, 48, 0xD);
        spec("SkylakeServer", 0x55, 4, "Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz", 2400, SKYLAKE_SERVER_FEATURES,
                caches(32, 8, 32, 8, 1024, 16, 28160, 11), 46, 48, 0x16);
        spec("CascadeLake", 0x55, 7, "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", 2500, CASCADELAKE_FEATURES,
                caches(32, 8, 32, 8, 1024, 16, 28160, 11), 46, 48, 0x16);
        spec("IcelakeServer", 0x6A, 6, "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", 2000, ICELAKE_SERVER_FEATURES,
                caches(48, 12, 32, 8, 1280, 20, 49152, 12), 46, 57, 0x1B);
        spec("SapphireRapids", 0x8F, 8, "Intel(R) Xeon(R) Platinum 8480+", 2000, SAPPHIRERAPIDS_FEATURES,
                caches(48, 12, 32, 8, 2048, 16, 107520, 15), 46, 57, 0x20);
    }

    static IntelCpuModel.Spec spec(String name) {
        IntelCpuModel.Spec s = SPECS.get(name);
        if (s == null) throw new IllegalArgumentException("no Intel model " + name);
        return s;
    }
}
