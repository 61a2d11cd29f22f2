package org.hvkit.platform.kvm.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's memory as Linux accounts it (/proc/self/status and /proc/self/smaps), for figures. */
final class ProcMemory {
    private ProcMemory() {}

    /** Resident set size, bytes. */
    static long rss() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }

    /**
     * Resident bytes of [address, address+bytes), page by page from /proc/self/pagemap (bit 63:
     * present). Exact even when the kernel merged the range's mapping with its neighbours.
     */
    static long residentBytes(long address, long bytes) throws IOException {
        long first = address / 4096, pages = (bytes + 4095) / 4096;
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) (pages * 8)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(Path.of("/proc/self/pagemap"))) {
            long pos = first * 8;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos + buf.position());
                if (n <= 0) break;
            }
        }
        buf.flip();
        long present = 0;
        while (buf.remaining() >= 8) if (buf.getLong() < 0) present++;
        return present * 4096;
    }

    private static boolean isHex(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (Character.digit(s.charAt(i), 16) < 0) return false;
        return true;
    }
}
