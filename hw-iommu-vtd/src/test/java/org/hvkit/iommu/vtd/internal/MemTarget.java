package org.hvkit.iommu.vtd.internal;

import java.util.HashMap;
import java.util.Map;
import org.hvkit.api.iommu.DmaTarget;
import org.hvkit.api.p2m.P2m;
import org.hvkit.api.p2m.P2mTable;
import org.hvkit.api.p2m.P2mType;
import org.hvkit.api.p2m.PageOrder;

/**
 * A domain's memory for the unit's tests: a real P2mTable over sparse pages whose untouched
 * content is a pattern of (domain, address), so any byte can be checked. Counts writes, and
 * counts (then refuses) any access outside the domain's RAM: that is the unit letting through
 * what it must not.
 */
final class MemTarget implements DmaTarget {
    final P2mTable p2m;
    final Map<Long, byte[]> pages = new HashMap<>();
    long writes, outside;

    MemTarget(int domid, long ramPages) {
        p2m = new P2mTable(domid, ramPages);
        p2m.populate(0, ramPages, PageOrder.ORDER_1G, P2mType.RAM);
    }

    static byte pattern(int domid, long gpa) {
        return (byte) (gpa * 0x9E37 + (gpa >>> 12) * 31 + domid * 101);
    }

    byte at(long gpa) {
        byte[] p = pages.get(gpa >>> 12);
        return p == null ? pattern(p2m.domainId(), gpa) : p[(int) (gpa & 0xfff)];
    }

    private synchronized byte[] page(long gfn) {
        return pages.computeIfAbsent(gfn, g -> {
            byte[] b = new byte[4096];
            for (int i = 0; i < 4096; i++) b[i] = pattern(p2m.domainId(), g << 12 | i);
            return b;
        });
    }

    private void check(long gpa, int len) {
        long gfn = gpa >>> 12;
        if (gpa < 0 || (gpa + len - 1) >>> 12 != gfn || gfn >= p2m.maxPages() || p2m.type(gfn) != P2mType.RAM) {
            synchronized (this) {
                outside++;
            }
            throw new IllegalArgumentException("gpa " + Long.toHexString(gpa) + "+" + len + " is not RAM of domain " + p2m.domainId());
        }
    }

    @Override
    public int domainId() {
        return p2m.domainId();
    }

    @Override
    public P2m p2m() {
        return p2m;
    }

    @Override
    public void read(long gpa, byte[] dst, int off, int len) {
        check(gpa, len);
        System.arraycopy(page(gpa >>> 12), (int) (gpa & 0xfff), dst, off, len);
    }

    @Override
    public void write(long gpa, byte[] src, int off, int len) {
        check(gpa, len);
        System.arraycopy(src, off, page(gpa >>> 12), (int) (gpa & 0xfff), len);
        synchronized (this) {
            writes++;
        }
    }
}
