package org.hvkit.api.cpu;

/**
 * One cache of a CPU model, as CPUID leaf 4 describes it.
 *
 * @param level     1, 2 or 3
 * @param type      {@code data}, {@code instruction} or {@code unified}
 * @param sizeKb    capacity in KiB (1024 bytes); must equal ways x lineSize x sets / 1024
 * @param ways      associativity (ways of associativity)
 * @param lineSize  line size in bytes (64 on every Intel part)
 * @param perCore   true if each core has its own (L1, L2), false if the package shares it (L3)
 */
public record CpuCache(int level, String type, int sizeKb, int ways, int lineSize, boolean perCore) {
    public CpuCache {
        if (level < 1 || level > 7) throw new IllegalArgumentException("cache level " + level + " is not 1..7");
        if (!type.equals("data") && !type.equals("instruction") && !type.equals("unified"))
            throw new IllegalArgumentException("cache type " + type + " is not data, instruction or unified");
        if (sizeKb < 1 || ways < 1 || lineSize < 1) throw new IllegalArgumentException("cache sizes must be positive");
        if ((long) sizeKb * 1024 % ((long) ways * lineSize) != 0)
            throw new IllegalArgumentException("cache of " + sizeKb + " KiB is not a whole number of " + ways + "-way sets of " + lineSize + " bytes");
    }

    /** Number of sets: size / (ways x line size). */
    public int sets() {
        return (int) ((long) sizeKb * 1024 / ((long) ways * lineSize));
    }
}
