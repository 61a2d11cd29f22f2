package org.hvkit.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

/** One line naming the machine a figure was measured on. */
final class Machine {
    private Machine() {
    }

    static String describe() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(cpu);
        } catch (Exception ignored) {
            // not Linux: keep "unknown CPU"
        }
        return "machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB heap, Java " + Runtime.version();
    }
}
