package org.hvkit.core.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The hypervisor console ring that {@code xl dmesg} reads: the newest lines, bounded in bytes like
 * Xen's conring, every line prefixed {@code (XEN) }. Thread-safe: printk may come from any context.
 */
final class ConsoleRing {
    static final String PREFIX = "(XEN) ";
    private final int capacityBytes;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private int bytes;

    ConsoleRing(int capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    synchronized void printk(String line) {
        for (String l : line.split("\n", -1)) {
            String entry = PREFIX + l;
            lines.addLast(entry);
            bytes += entry.length() + 1;
        }
        while (bytes > capacityBytes && lines.size() > 1) bytes -= lines.removeFirst().length() + 1;
    }

    synchronized List<String> read(boolean clear) {
        List<String> copy = new ArrayList<>(lines);
        if (clear) {
            lines.clear();
            bytes = 0;
        }
        return copy;
    }
}
