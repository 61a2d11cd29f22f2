package org.hvkit.platform.kvm.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.hvkit.api.cpu.CpuModel;

/** The host CPU as /proc/cpuinfo names it; {@code hw_caps} from what KVM supports for guests. */
record KvmCpuModel(String vendor, int family, int model, int stepping, String brand, Set<String> features, int mhz, int[] caps) implements CpuModel {
    static KvmCpuModel read(Kvm kvm) {
        String vendor = "unknown", brand = "unknown";
        int family = 0, model = 0, stepping = 0, mhz = 0;
        Set<String> flags = new TreeSet<>();
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int c = l.indexOf(':');
                if (c < 0) {
                    if (l.isBlank() && !flags.isEmpty()) break; // first processor only
                    continue;
                }
                String k = l.substring(0, c).strip(), v = l.substring(c + 1).strip();
                switch (k) {
                    case "vendor_id" -> vendor = v;
                    case "cpu family" -> family = parse(v);
                    case "model" -> model = parse(v);
                    case "stepping" -> stepping = parse(v);
                    case "model name" -> brand = v;
                    case "cpu MHz" -> mhz = (int) Double.parseDouble(v);
                    case "flags" -> flags.addAll(java.util.Arrays.asList(v.split("\\s+")));
                    default -> { }
                }
            }
        } catch (IOException | NumberFormatException e) {
            // keep what was read
        }
        int[] caps = {kvm.cpuid(1, 0, 3), kvm.cpuid(0x80000001, 0, 3), 0, 0, kvm.cpuid(1, 0, 2), 0, kvm.cpuid(0x80000001, 0, 2), kvm.cpuid(7, 0, 1)};
        return new KvmCpuModel(vendor, family, model, stepping, brand, Set.copyOf(flags), mhz, caps);
    }

    private static int parse(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public String name() {
        return "host";
    }

    @Override
    public int[] hwCaps() {
        return caps.clone();
    }
}
