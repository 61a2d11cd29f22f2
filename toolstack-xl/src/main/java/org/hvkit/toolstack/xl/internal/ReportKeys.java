package org.hvkit.toolstack.xl.internal;

import java.util.Map;

/**
 * Names and units of the values hvkit's test guests report (guests/README.md), so that
 * {@code hv reports} can say what each key is. A guest is known by its image's file name
 * ({@code kernel=.../pinger.hvk}); other guests' keys stay numbers.
 */
final class ReportKeys {
    /** One key: what it counts or measures, and its unit ("-" where it has none). */
    record Key(String name, String unit) {
    }

    private static final Map<String, Map<Integer, Key>> GUESTS = Map.of(
            "burn", Map.of(0, new Key("chunks", "chunks"), 1, new Key("vcpus_online", "vCPUs"), 2, new Key("balloon_target", "bytes")),
            "pinger", Map.of(0, new Key("rounds", "rounds"), 1, new Key("wake_latency", "ns")),
            "cpuid", Map.of(0, new Key("leaf1_eax", "-"), 1, new Key("leaf1_ecx", "-"), 2, new Key("avx_ran", "0/1")),
            "writer", Map.of(0, new Key("rounds", "rounds"), 1, new Key("checksum", "-")),
            "inject", Map.of(0, new Key("returned", "0/1"), 1, new Key("payload_mark", "-")));

    private static final Key UNKNOWN = new Key("-", "-");

    private ReportKeys() {
    }

    /** The guest of a kernel= path ({@code guests/pinger.hvk} is pinger), or null. */
    static String guestOf(String kernel) {
        if (kernel == null) return null;
        String f = kernel.substring(kernel.lastIndexOf('/') + 1);
        return f.endsWith(".hvk") ? f.substring(0, f.length() - 4) : null;
    }

    static Key of(String guest, int key) {
        Map<Integer, Key> keys = guest == null ? null : GUESTS.get(guest);
        Key k = keys == null ? null : keys.get(key);
        return k == null ? UNKNOWN : k;
    }
}
