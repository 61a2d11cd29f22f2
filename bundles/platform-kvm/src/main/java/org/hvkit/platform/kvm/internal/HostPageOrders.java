package org.hvkit.platform.kvm.internal;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * Reads back from the kernel which 2 MiB chunks of a host range are mapped by one huge page table
 * entry (a PMD-mapped transparent huge page, or part of a hugetlb page): only those are superpages
 * for KVM, which maps a guest frame at most at the level the host's own page table does. A THP that
 * was split into 4 KiB PTEs (as {@code mprotect} on part of it does) no longer counts, even while
 * its frames are still physically contiguous.
 *
 * <p>The source is the {@code PAGEMAP_SCAN} ioctl on {@code /proc/self/pagemap} (Linux 6.7+,
 * category {@code PAGE_IS_HUGE}). Without it, {@code /proc/self/smaps}: a mapping's chunks count as
 * huge only when all of its resident memory is AnonHugePages — conservative, never a superpage
 * that is not there.
 */
final class HostPageOrders {
    private HostPageOrders() {}

    /** _IOWR('f', 16, struct pm_scan_arg) with the 96-byte struct. */
    static final long PAGEMAP_SCAN = 0xC0606610L;
    static final long PAGE_IS_PRESENT = 1 << 3, PAGE_IS_HUGE = 1 << 6;

    /** Bit i set when chunk i (2 MiB at {@code range.address() + i * 2 MiB}) is mapped huge. {@code range} is 2 MiB aligned. */
    static BitSet hugeChunks(MemorySegment range) {
        try {
            return scan(range);
        } catch (Native.NativeException e) {
            return fromSmaps(range);
        }
    }

    private static volatile String source;

    /** Which source {@link #hugeChunks} uses on this kernel (probed once). */
    static String source() {
        String s = source;
        if (s == null) source = s = probe();
        return s;
    }

    private static String probe() {
        MemorySegment probe = Native.mmap(RamBacking.MIB2, Native.PROT_READ, Native.MAP_PRIVATE | Native.MAP_ANONYMOUS, -1, 0);
        try {
            scan(probe);
            return "PAGEMAP_SCAN";
        } catch (Native.NativeException e) {
            return "smaps (PAGEMAP_SCAN: errno " + e.errno + ")";
        } finally {
            Native.munmap(probe);
        }
    }

    private static BitSet scan(MemorySegment range) {
        long chunks = range.byteSize() / RamBacking.MIB2;
        BitSet out = new BitSet((int) chunks);
        int fd = Native.open("/proc/self/pagemap", Native.O_CLOEXEC); // read-only
        try (Arena a = Arena.ofConfined()) {
            int cap = (int) Math.min(chunks + 2, 4096);
            MemorySegment vec = a.allocate(24L * cap, 8);
            MemorySegment arg = a.allocate(96, 8);
            long start = range.address(), end = start + range.byteSize();
            while (start < end) {
                arg.fill((byte) 0);
                arg.set(JAVA_LONG, 0, 96);            // size
                arg.set(JAVA_LONG, 16, start);        // start
                arg.set(JAVA_LONG, 24, end);          // end
                arg.set(JAVA_LONG, 40, vec.address()); // vec
                arg.set(JAVA_LONG, 48, cap);          // vec_len
                arg.set(JAVA_LONG, 72, PAGE_IS_PRESENT | PAGE_IS_HUGE); // category_mask: both required
                arg.set(JAVA_LONG, 88, PAGE_IS_PRESENT | PAGE_IS_HUGE); // return_mask
                int n = Native.ioctl(fd, PAGEMAP_SCAN, arg, "PAGEMAP_SCAN on /proc/self/pagemap");
                for (int i = 0; i < n; i++) {
                    long rs = vec.get(JAVA_LONG, 24L * i), re = vec.get(JAVA_LONG, 24L * i + 8);
                    long first = (rs - range.address() + RamBacking.MIB2 - 1) / RamBacking.MIB2;
                    long last = (re - range.address()) / RamBacking.MIB2; // exclusive
                    for (long c = first; c < last; c++) out.set((int) c);
                }
                long walkEnd = arg.get(JAVA_LONG, 32);
                if (n < cap || walkEnd <= start) break;
                start = walkEnd;
            }
        } finally {
            Native.close(fd);
        }
        return out;
    }

    /** The smaps fallback: whole mappings inside the range whose resident bytes are all AnonHugePages. */
    static BitSet fromSmaps(MemorySegment range) {
        BitSet out = new BitSet();
        long lo = range.address(), hi = lo + range.byteSize();
        try {
            long vs = -1, ve = -1, rss = 0;
            for (String l : Files.readAllLines(Path.of("/proc/self/smaps"))) {
                int dash = l.indexOf('-'), sp = l.indexOf(' ');
                if (dash > 0 && sp > dash && isHex(l.substring(0, dash))) {
                    vs = Long.parseUnsignedLong(l.substring(0, dash), 16);
                    ve = Long.parseUnsignedLong(l.substring(dash + 1, sp), 16);
                } else if (l.startsWith("Rss:")) {
                    rss = kb(l);
                } else if (l.startsWith("AnonHugePages:") && vs >= lo && ve <= hi && rss > 0 && kb(l) == rss) {
                    for (long a = (vs + RamBacking.MIB2 - 1) & -RamBacking.MIB2; a + RamBacking.MIB2 <= ve; a += RamBacking.MIB2) {
                        out.set((int) ((a - lo) / RamBacking.MIB2));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // nothing known: every chunk counts as 4 KiB
        }
        return out;
    }

    /** Bytes of AnonHugePages the kernel's smaps shows for the mappings inside [address, address + bytes). */
    static long anonHugeBytes(long address, long bytes) throws IOException {
        long total = 0, vs = -1, ve = -1;
        for (String l : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            int dash = l.indexOf('-'), sp = l.indexOf(' ');
            if (dash > 0 && sp > dash && isHex(l.substring(0, dash))) {
                vs = Long.parseUnsignedLong(l.substring(0, dash), 16);
                ve = Long.parseUnsignedLong(l.substring(dash + 1, sp), 16);
            } else if (l.startsWith("AnonHugePages:") && vs >= address && ve <= address + bytes) {
                total += kb(l);
            }
        }
        return total;
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
    }

    private static boolean isHex(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (Character.digit(s.charAt(i), 16) < 0) return false;
        return true;
    }
}
