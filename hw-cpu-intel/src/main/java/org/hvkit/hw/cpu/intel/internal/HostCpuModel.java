package org.hvkit.hw.cpu.intel.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hvkit.api.cpu.CpuCache;
import org.hvkit.api.cpu.CpuModel;
import org.osgi.service.component.annotations.Component;

/**
 * The machine's own CPU, {@code (hvkit.cpu.model=host)}: vendor, family, model, stepping, brand,
 * frequency, flags, address sizes and {@code cpuid level} from the first processor of
 * /proc/cpuinfo, caches from /sys/devices/system/cpu/cpu0/cache. Where /proc/cpuinfo cannot be
 * read (not Linux), it is the SandyBridge model under the name {@code host}, and
 * {@link #probed()} says so.
 */
@Component(service = CpuModel.class, property = IntelCpuModel.MODEL_PROPERTY + "=host")
public final class HostCpuModel extends IntelCpuModel {
    private final boolean probed;

    public HostCpuModel() {
        this(Path.of("/proc/cpuinfo"), Path.of("/sys/devices/system/cpu/cpu0/cache"));
    }

    HostCpuModel(Path cpuinfo, Path cacheDir) {
        this(probe(cpuinfo, cacheDir));
    }

    private HostCpuModel(Spec spec) {
        super(spec != null ? spec : fallback());
        this.probed = spec != null;
    }

    /** True if the model was read from /proc/cpuinfo, false if it is the fallback. */
    public boolean probed() {
        return probed;
    }

    private static Spec fallback() {
        Spec s = IntelModels.spec("SandyBridge");
        return s.renamed("host", s.brand() + " (host not probed)");
    }

    private static Spec probe(Path cpuinfo, Path cacheDir) {
        String text;
        try {
            text = Files.readString(cpuinfo);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        List<CpuCache> caches = readCaches(cacheDir);
        return parse(text, caches);
    }

    /** A spec from the text of /proc/cpuinfo (its first processor), or null if it has no flags line. */
    static Spec parse(String cpuinfo, List<CpuCache> caches) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : cpuinfo.split("\n")) {
            if (line.isBlank()) {
                if (!kv.isEmpty()) break;
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            kv.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        String flags = kv.get("flags");
        if (flags == null) return null;
        Set<String> features = new LinkedHashSet<>(List.of(flags.trim().split("\\s+")));
        // Linux shows no name for XFD; AMX cannot be enabled without it, so a part with AMX has it.
        if (features.contains("amx_tile")) features.add("xfd");
        int phys = 40, virt = 48;
        Matcher m = Pattern.compile("(\\d+) bits physical, (\\d+) bits virtual").matcher(kv.getOrDefault("address sizes", ""));
        if (m.find()) {
            phys = Integer.parseInt(m.group(1));
            virt = Integer.parseInt(m.group(2));
        }
        int mhz = (int) Math.round(parseDouble(kv.get("cpu MHz"), 0));
        String brand = kv.getOrDefault("model name", "unknown");
        if (mhz <= 0) {
            Matcher g = Pattern.compile("@ *([0-9.]+)GHz").matcher(brand);
            mhz = g.find() ? (int) Math.round(Double.parseDouble(g.group(1)) * 1000) : 1000;
        }
        int maxLeaf = (int) parseDouble(kv.get("cpuid level"), 0xD);
        return new Spec("host", kv.getOrDefault("vendor_id", IntelModels.VENDOR), (int) parseDouble(kv.get("cpu family"), 6),
                (int) parseDouble(kv.get("model"), 0), (int) parseDouble(kv.get("stepping"), 0), brand, mhz, features,
                caches.isEmpty() ? IntelModels.spec("SandyBridge").caches() : caches, phys, virt, maxLeaf);
    }

    private static double parseDouble(String s, double dflt) {
        if (s == null) return dflt;
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** The caches Linux lists under {@code dir} (index0, index1, ...), or empty if it cannot read them. */
    static List<CpuCache> readCaches(Path dir) {
        List<CpuCache> out = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Path d = dir.resolve("index" + i);
            if (!Files.isDirectory(d)) break;
            try {
                int level = Integer.parseInt(Files.readString(d.resolve("level")).trim());
                String type = switch (Files.readString(d.resolve("type")).trim()) {
                    case "Data" -> "data";
                    case "Instruction" -> "instruction";
                    default -> "unified";
                };
                int ways = Integer.parseInt(Files.readString(d.resolve("ways_of_associativity")).trim());
                int line = Integer.parseInt(Files.readString(d.resolve("coherency_line_size")).trim());
                int sets = Integer.parseInt(Files.readString(d.resolve("number_of_sets")).trim());
                long bytes = (long) ways * line * sets;
                if (ways < 1 || bytes % 1024 != 0) return List.of();
                out.add(new CpuCache(level, type, (int) (bytes / 1024), ways, line, level <= 2));
            } catch (IOException | RuntimeException e) {
                return List.of();
            }
        }
        return out;
    }
}
