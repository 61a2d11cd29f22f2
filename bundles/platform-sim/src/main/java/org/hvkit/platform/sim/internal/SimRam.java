package org.hvkit.platform.sim.internal;

import java.util.concurrent.ConcurrentHashMap;
import org.hvkit.api.iommu.DmaTarget;
import org.hvkit.api.p2m.P2m;
import org.hvkit.api.p2m.P2mTable;
import org.hvkit.api.p2m.P2mType;

/**
 * The bytes of a simulated domain's memory, kept only for pages something wrote (the rest read as
 * zeros), so DMA and the DMA workload can be checked by content. It is the domain's
 * {@link DmaTarget}: every access is checked again against the domain's size and p2m type
 * (RAM only) and refused with the domain and address named, whatever the IOMMU translated.
 */
final class SimRam implements DmaTarget {
    private final P2mTable p2m;
    private final ConcurrentHashMap<Long, byte[]> pages = new ConcurrentHashMap<>();

    SimRam(P2mTable p2m) {
        this.p2m = p2m;
    }

    @Override
    public int domainId() {
        return p2m.domainId();
    }

    @Override
    public P2m p2m() {
        return p2m;
    }

    /** Pages that hold bytes. */
    int pagesHeld() {
        return pages.size();
    }

    private void check(long gpa, int len) {
        long end = gpa + len;
        if (gpa < 0 || len < 0 || end < gpa || end > p2m.maxPages() << 12) {
            throw new IllegalArgumentException("domain " + p2m.domainId() + ": gpa " + Long.toHexString(gpa) + "+" + len + " is beyond its " + (p2m.maxPages() << 12 >> 20) + " MiB");
        }
        for (long g = gpa >>> 12; g <= (end - 1) >>> 12 && len > 0; g++) {
            if (p2m.type(g) != P2mType.RAM) throw new IllegalArgumentException("domain " + p2m.domainId() + ": gfn " + Long.toHexString(g) + " is not RAM");
        }
    }

    @Override
    public void read(long gpa, byte[] dst, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        check(gpa, len);
        int done = 0;
        while (done < len) {
            long a = gpa + done;
            int n = (int) Math.min(len - done, 4096 - (a & 0xfff));
            byte[] p = pages.get(a >>> 12);
            if (p == null) java.util.Arrays.fill(dst, off + done, off + done + n, (byte) 0);
            else System.arraycopy(p, (int) (a & 0xfff), dst, off + done, n);
            done += n;
        }
    }

    @Override
    public void write(long gpa, byte[] src, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        check(gpa, len);
        int done = 0;
        while (done < len) {
            long a = gpa + done;
            int n = (int) Math.min(len - done, 4096 - (a & 0xfff));
            byte[] p = pages.computeIfAbsent(a >>> 12, g -> new byte[4096]);
            System.arraycopy(src, off + done, p, (int) (a & 0xfff), n);
            done += n;
        }
    }

    /** Drops every page (the domain is gone). */
    void clear() {
        pages.clear();
    }
}
