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

    /**
     * 2 MiB chunks of [address, address + chunks * 2 MiB) that the kernel's page flags show as one
     * transparent huge page: the chunk's first frame (from /proc/self/pagemap, which needs
     * CAP_SYS_ADMIN for frame numbers) is a compound head with KPF_THP, 2 MiB aligned, and the
     * chunk's last frame is 511 frames on. -1 when frame numbers are hidden from this process.
     */
    static long thpChunks(long address, long chunks) throws IOException {
        long n = 0;
        try (java.nio.channels.FileChannel pm = java.nio.channels.FileChannel.open(Path.of("/proc/self/pagemap"));
             java.nio.channels.FileChannel kf = java.nio.channels.FileChannel.open(Path.of("/proc/kpageflags"))) {
            for (long c = 0; c < chunks; c++) {
                long first = entry(pm, (address >>> 12) + c * 512), last = entry(pm, (address >>> 12) + c * 512 + 511);
                if (first >= 0 && (first & ((1L << 55) - 1)) == 0) return -1; // present but no PFN shown
                if (first >= 0 || last >= 0) continue; // not present (bit 63 clear)
                long pfn = first & ((1L << 55) - 1), pfnLast = last & ((1L << 55) - 1);
                long flags = entry(kf, pfn);
                boolean head = (flags & (1L << 15)) != 0, thp = (flags & (1L << 22)) != 0;
                if (head && thp && (pfn & 511) == 0 && pfnLast == pfn + 511) n++;
            }
        }
        return n;
    }

    private static long entry(java.nio.channels.FileChannel ch, long index) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        ch.read(b, index * 8);
        return b.getLong(0);
    }

    private static boolean isHex(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (Character.digit(s.charAt(i), 16) < 0) return false;
        return true;
    }
}
