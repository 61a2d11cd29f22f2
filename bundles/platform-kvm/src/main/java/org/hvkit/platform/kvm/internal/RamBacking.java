package org.hvkit.platform.kvm.internal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host mapping behind one domain's RAM, asking for the largest pages the host gives: 1 GiB
 * hugetlb pages for whole GiBs when some are reserved and free, else (and for the rest) anonymous
 * memory with {@code MADV_HUGEPAGE}, so that transparent huge pages back it where THP is
 * {@code always} or {@code madvise}. The memory is populated at once ({@code MADV_POPULATE_WRITE}),
 * as Xen populates a domain's p2m when it builds it: the orders it got are then there to be read
 * back ({@link HostPageOrders}) rather than assumed. {@link #note} says what was asked for and
 * why not more, for {@code xl dmesg}.
 */
final class RamBacking {
    static final long MIB2 = 2L << 20, GIB = 1L << 30;
    static final Path HUGE_1G = Path.of("/sys/kernel/mm/hugepages/hugepages-1048576kB");
    static final Path THP = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    /** The whole mapping: [0, hugetlbBytes) on 1 GiB hugetlb pages, the rest anonymous. */
    final MemorySegment mapping;
    final long hugetlbBytes;
    /** THP mode of the host ({@code always}, {@code madvise}, {@code never}, or {@code unknown}). */
    final String thpMode;
    final String note;

    private RamBacking(MemorySegment mapping, long hugetlbBytes, String thpMode, String note) {
        this.mapping = mapping;
        this.hugetlbBytes = hugetlbBytes;
        this.thpMode = thpMode;
        this.note = note;
    }

    /** Maps {@code bytes} (a multiple of 2 MiB) of RAM. Throws a {@link RuntimeException} naming the call that failed. */
    static RamBacking map(long bytes) {
        String thp = thpMode();
        long free1g = readLong(HUGE_1G.resolve("free_hugepages"));
        long want1g = bytes / GIB;
        StringBuilder note = new StringBuilder();
        long huge = 0;
        MemorySegment m;
        if (want1g > 0 && free1g > 0) {
            long n = Math.min(want1g, free1g);
            m = mapWithHugetlb(bytes, n * GIB, note);
            huge = m == null ? 0 : n * GIB;
        } else {
            m = null;
            if (want1g == 0) note.append("1 GiB pages: not used for less than 1 GiB of RAM; ");
            else if (free1g < 0) note.append("1 GiB pages: none configured on this host (no ").append(HUGE_1G).append("); ");
            else note.append("1 GiB pages: none reserved (").append(HUGE_1G.resolve("nr_hugepages")).append(" = ")
                    .append(readLong(HUGE_1G.resolve("nr_hugepages"))).append(", free 0); ");
        }
        if (m == null) m = Native.mmap(bytes, Native.PROT_READ | Native.PROT_WRITE, Native.MAP_PRIVATE | Native.MAP_ANONYMOUS | Native.MAP_NORESERVE, -1, 0);
        try {
            MemorySegment anon = m.asSlice(huge);
            if (anon.byteSize() > 0) {
                int e = Native.madvise(anon, Native.MADV_HUGEPAGE);
                if (e != 0) note.append("MADV_HUGEPAGE failed (errno ").append(e).append("); ");
                note.append(switch (thp) {
                    case "never" -> "2 MiB pages: transparent huge pages are off on this host (" + THP + " = never), RAM on 4 KiB pages";
                    case "unknown" -> "2 MiB pages: asked for with MADV_HUGEPAGE (THP mode unknown)";
                    default -> "2 MiB pages: transparent huge pages asked for with MADV_HUGEPAGE (THP " + thp + ")";
                });
            }
            int pe = Native.madvise(m, Native.MADV_POPULATE_WRITE);
            if (pe != 0) note.append("; not populated up front (MADV_POPULATE_WRITE: errno ").append(pe).append("), backed on first touch");
            return new RamBacking(m, huge, thp, note.toString());
        } catch (RuntimeException e) {
            Native.munmap(m);
            throw e;
        }
    }

    /**
     * A mapping whose first {@code hugeBytes} are 1 GiB hugetlb pages on a 1 GiB boundary and the
     * rest anonymous, or null (with the reason in {@code note}) when the hugetlb pages are not had.
     */
    private static MemorySegment mapWithHugetlb(long bytes, long hugeBytes, StringBuilder note) {
        // reserve address space with room to align, then map both parts over it
        MemorySegment res = Native.mmap(bytes + GIB, Native.PROT_NONE, Native.MAP_PRIVATE | Native.MAP_ANONYMOUS | Native.MAP_NORESERVE, -1, 0);
        long base = (res.address() + GIB - 1) & -GIB;
        try {
            Native.mmapAt(base, hugeBytes, Native.PROT_READ | Native.PROT_WRITE,
                    Native.MAP_PRIVATE | Native.MAP_ANONYMOUS | Native.MAP_FIXED | Native.MAP_HUGETLB | Native.MAP_HUGE_1GB, -1, 0);
        } catch (Native.NativeException e) {
            Native.munmap(res);
            note.append("1 GiB pages: reserved but not obtained (").append(e.getMessage()).append("); ");
            return null;
        }
        if (bytes > hugeBytes) {
            Native.mmapAt(base + hugeBytes, bytes - hugeBytes, Native.PROT_READ | Native.PROT_WRITE,
                    Native.MAP_PRIVATE | Native.MAP_ANONYMOUS | Native.MAP_FIXED | Native.MAP_NORESERVE, -1, 0);
        }
        // give back the slack on both sides of [base, base + bytes)
        long head = base - res.address(), tail = res.byteSize() - head - bytes;
        if (head > 0) Native.munmap(MemorySegment.ofAddress(res.address()).reinterpret(head));
        if (tail > 0) Native.munmap(MemorySegment.ofAddress(base + bytes).reinterpret(tail));
        note.append("1 GiB pages: ").append(hugeBytes / GIB).append(" hugetlb; ");
        return MemorySegment.ofAddress(base).reinterpret(bytes);
    }

    /** The bracketed word of /sys/kernel/mm/transparent_hugepage/enabled. */
    static String thpMode() {
        try {
            String s = Files.readString(THP);
            int a = s.indexOf('['), b = s.indexOf(']');
            return a >= 0 && b > a ? s.substring(a + 1, b) : "unknown";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** A number in a sysfs file, or -1 when there is none. */
    static long readLong(Path p) {
        try {
            return Long.parseLong(Files.readString(p).strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
