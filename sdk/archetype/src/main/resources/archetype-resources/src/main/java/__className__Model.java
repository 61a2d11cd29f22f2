package ${package};

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hvkit.api.cpu.CpuModel;
import org.osgi.service.component.annotations.Component;

/**
 * The ${pluginName} CPU model as a service. The simulated host takes it with
 * {@code -Dhvkit.sim.cpu=${pluginName}} (xl info then shows its name, MHz and hw_caps); a domain's
 * CPUID policy starts from it. Edit the identity and the feature list; {@link #hwCaps()} follows.
 */
@Component(service = CpuModel.class, property = "hvkit.cpu.model=${pluginName}")
public final class ${className}Model implements CpuModel {
    /** Feature name to (hw_caps word, bit): the CPUID words in the order xl info prints them. */
    static final Map<String, int[]> BITS = Map.ofEntries(
            Map.entry("fpu", new int[] {0, 0}), Map.entry("tsc", new int[] {0, 4}), Map.entry("msr", new int[] {0, 5}),
            Map.entry("pae", new int[] {0, 6}), Map.entry("cx8", new int[] {0, 8}), Map.entry("apic", new int[] {0, 9}),
            Map.entry("cmov", new int[] {0, 15}), Map.entry("clflush", new int[] {0, 19}), Map.entry("mmx", new int[] {0, 23}),
            Map.entry("fxsr", new int[] {0, 24}), Map.entry("sse", new int[] {0, 25}), Map.entry("sse2", new int[] {0, 26}),
            Map.entry("ht", new int[] {0, 28}),
            Map.entry("syscall", new int[] {1, 11}), Map.entry("nx", new int[] {1, 20}), Map.entry("lm", new int[] {1, 29}),
            Map.entry("pni", new int[] {4, 0}), Map.entry("ssse3", new int[] {4, 9}), Map.entry("cx16", new int[] {4, 13}),
            Map.entry("sse4_1", new int[] {4, 19}), Map.entry("sse4_2", new int[] {4, 20}), Map.entry("popcnt", new int[] {4, 23}),
            Map.entry("aes", new int[] {4, 25}), Map.entry("xsave", new int[] {4, 26}), Map.entry("avx", new int[] {4, 28}),
            Map.entry("lahf_lm", new int[] {6, 0}));

    private static final Set<String> FEATURES = new TreeSet<>(Set.of("fpu", "tsc", "msr", "pae", "cx8", "apic", "cmov",
            "clflush", "mmx", "fxsr", "sse", "sse2", "syscall", "nx", "lm", "pni", "cx16", "popcnt", "lahf_lm"));

    @Override public String name() { return "${pluginName}"; }
    @Override public String vendor() { return "GenuineIntel"; }
    @Override public int family() { return 6; }
    @Override public int model() { return 0x1a; }
    @Override public int stepping() { return 5; }
    @Override public String brand() { return "${className} virtual CPU"; }
    @Override public Set<String> features() { return FEATURES; }
    @Override public int mhz() { return 2400; }

    @Override
    public int[] hwCaps() {
        int[] words = new int[8];
        for (String f : FEATURES) {
            int[] wb = BITS.get(f);
            if (wb == null) throw new IllegalStateException("${className}Model: feature '" + f + "' has no CPUID bit in BITS");
            words[wb[0]] |= 1 << wb[1];
        }
        return words;
    }
}
