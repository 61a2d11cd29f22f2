package org.hvkit.api.p2m;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntUnaryOperator;

/**
 * The p2m model both platforms keep per domain: shaped like Xen's EPT tables (a 1 GiB level, a
 * 2 MiB level, a 4 KiB level), so a superpage is one leaf and splitting one is what Xen does. Only
 * the platform that owns a table populates it and reports orders ({@link #populate},
 * {@link #unpopulate}, {@link #setOrder}); other bundles use the {@link P2m} view. Every method is
 * synchronized on the table; listeners run under that lock (see {@link P2mListener}).
 *
 * <p>Cost: one byte per 2 MiB or 1 GiB entry and per 4 KiB entry of a split superpage; lookups are
 * two array indexings; changing a range touches each entry once (a fully covered superpage is one
 * write).
 */
public final class P2mTable implements P2m {
    private static final System.Logger LOG = System.getLogger("org.hvkit.api.p2m");
    private static final int FAN = 512;
    private static final int L2 = 9;
    private static final int L3 = 18;
    private static final int O4K = 0, O2M = 1, O1G = 2;
    private static final P2mType[] TYPES = P2mType.values();
    private static final P2mAccess[] ACCESSES = P2mAccess.values();
    private static final PageOrder[] ORDERS = PageOrder.values();

    /** A 1 GiB slot that is split: 512 2 MiB cells, each either a leaf or split into 512 4 KiB cells. */
    private static final class Mid {
        final byte[] cell = new byte[FAN];
        final byte[][] leaf = new byte[FAN][];
    }

    private final int domid;
    private final long maxPages;
    private final byte[] top;
    private final Mid[] mid;
    private final long[] entriesByOrder = new long[3];
    private final long[] pagesByType = new long[TYPES.length];
    private final long[] pagesByAccess = new long[ACCESSES.length];
    private final CopyOnWriteArrayList<P2mListener> listeners = new CopyOnWriteArrayList<>();
    private P2mAccess defaultAccess = P2mAccess.RWX;
    private boolean destroyed;

    /** A table of {@code maxPages} unbacked frames for domain {@code domid}, default access rwx. */
    public P2mTable(int domid, long maxPages) {
        if (maxPages <= 0 || maxPages > (1L << 40)) throw new IllegalArgumentException("p2m of domain " + domid + ": frame count must be 1 to 2^40, not " + maxPages);
        this.domid = domid;
        this.maxPages = maxPages;
        int slots = (int) ((maxPages + (1L << L3) - 1) >>> L3);
        top = new byte[slots];
        mid = new Mid[slots];
        Arrays.fill(top, cell(P2mType.UNBACKED, P2mAccess.RWX));
    }

    private static byte cell(P2mType t, P2mAccess a) {
        return (byte) (t.ordinal() << 4 | a.ordinal());
    }

    private static P2mType typeOf(int c) {
        return TYPES[c >> 4];
    }

    private static P2mAccess accessOf(int c) {
        return ACCESSES[c & 15];
    }

    @Override
    public int domainId() {
        return domid;
    }

    @Override
    public long maxPages() {
        return maxPages;
    }

    // ---- reading

    @Override
    public synchronized P2mRange entry(long gfn) {
        check(gfn, 1);
        int i = (int) (gfn >>> L3);
        Mid m = mid[i];
        if (m == null) return range((long) i << L3, 1L << L3, O1G, top[i]);
        int j = (int) (gfn >>> L2) & (FAN - 1);
        byte[] l = m.leaf[j];
        if (l == null) return range(gfn & ~((1L << L2) - 1), 1L << L2, O2M, m.cell[j]);
        return range(gfn, 1, O4K, l[(int) gfn & (FAN - 1)]);
    }

    @Override
    public synchronized P2mAccess access(long gfn) {
        return accessOf(cellAt(gfn));
    }

    @Override
    public synchronized P2mType type(long gfn) {
        return typeOf(cellAt(gfn));
    }

    private int cellAt(long gfn) {
        check(gfn, 1);
        int i = (int) (gfn >>> L3);
        Mid m = mid[i];
        if (m == null) return top[i];
        int j = (int) (gfn >>> L2) & (FAN - 1);
        byte[] l = m.leaf[j];
        return l == null ? m.cell[j] : l[(int) gfn & (FAN - 1)];
    }

    private static P2mRange range(long first, long pages, int order, int c) {
        return new P2mRange(first, pages, ORDERS[order], typeOf(c), accessOf(c));
    }

    @Override
    public synchronized List<P2mRange> ranges(long firstGfn, long pages) {
        check(firstGfn, pages);
        List<P2mRange> out = new ArrayList<>();
        long end = firstGfn + pages;
        long g = firstGfn;
        while (g < end) {
            P2mRange e = entry(g);
            long hi = Math.min(end, e.endGfn());
            P2mRange last = out.isEmpty() ? null : out.getLast();
            if (last != null && last.order() == e.order() && last.type() == e.type() && last.access() == e.access()) {
                out.set(out.size() - 1, new P2mRange(last.firstGfn(), hi - last.firstGfn(), e.order(), e.type(), e.access()));
            } else {
                out.add(new P2mRange(g, hi - g, e.order(), e.type(), e.access()));
            }
            g = hi;
        }
        return out;
    }

    @Override
    public synchronized P2mAccess defaultAccess() {
        return defaultAccess;
    }

    @Override
    public synchronized P2mCounts counts() {
        Map<PageOrder, Long> o = new EnumMap<>(PageOrder.class);
        for (PageOrder p : ORDERS) o.put(p, entriesByOrder[p.ordinal()]);
        Map<P2mType, Long> t = new EnumMap<>(P2mType.class);
        long backed = 0;
        for (P2mType p : TYPES) {
            if (p == P2mType.UNBACKED) continue;
            t.put(p, pagesByType[p.ordinal()]);
            backed += pagesByType[p.ordinal()];
        }
        t.put(P2mType.UNBACKED, maxPages - backed);
        Map<P2mAccess, Long> a = new EnumMap<>(P2mAccess.class);
        for (P2mAccess p : ACCESSES) a.put(p, pagesByAccess[p.ordinal()]);
        return new P2mCounts(o, t, a, defaultAccess);
    }

    /** Backed frames whose access is not rwx: zero lets a platform skip checking accesses at all. */
    public synchronized long restrictedPages() {
        long backed = 0;
        for (P2mType p : TYPES) if (p != P2mType.UNBACKED) backed += pagesByType[p.ordinal()];
        return backed - pagesByAccess[P2mAccess.RWX.ordinal()];
    }

    // ---- changing (anyone)

    @Override
    public void setAccess(long firstGfn, long pages, P2mAccess access) {
        if (access == null) throw new IllegalArgumentException("p2m of domain " + domid + ": no access given");
        int a = access.ordinal();
        change(firstGfn, pages, P2mChange.Kind.ACCESS, c -> (c & 0xf0) | a);
    }

    @Override
    public synchronized void setDefaultAccess(P2mAccess access) {
        if (access == null) throw new IllegalArgumentException("p2m of domain " + domid + ": no default access given");
        defaultAccess = access;
    }

    @Override
    public void addListener(P2mListener l) {
        listeners.addIfAbsent(l);
    }

    @Override
    public void removeListener(P2mListener l) {
        listeners.remove(l);
    }

    // ---- changing (the owning platform)

    /**
     * Maps {@code [firstGfn, firstGfn + pages)} as {@code type} with the default access, each entry
     * of the largest order up to {@code maxOrder} that alignment and the range allow (so a range
     * aligned to 2 MiB gets 2 MiB entries, its unaligned ends 4 KiB ones). Whatever was there is
     * replaced, so call it with the orders the host really gave.
     */
    public synchronized void populate(long firstGfn, long pages, PageOrder maxOrder, P2mType type) {
        check(firstGfn, pages);
        if (type == null || type == P2mType.UNBACKED) throw new IllegalArgumentException("p2m of domain " + domid + ": populate needs a backed type, not " + type);
        byte c = cell(type, defaultAccess);
        long g = firstGfn, end = firstGfn + pages;
        while (g < end) {
            int o = maxOrder.ordinal();
            while (o > O4K && ((g & (ORDERS[o].pages() - 1)) != 0 || g + ORDERS[o].pages() > end)) o--;
            long n = ORDERS[o].pages();
            if (o == O4K) {
                // a run of 4 KiB frames up to the next 2 MiB boundary, in 4 KiB entries
                long stop = Math.min(end, (g | (FAN - 1)) + 1);
                splitTo(g, O4K);
                apply(g, stop - g, x -> c, null);
                g = stop;
            } else {
                putLeaf(g, o, c);
                g += n;
            }
        }
        fire(new P2mChange(domid, firstGfn, pages, P2mChange.Kind.MAP));
    }

    /** Makes {@code [firstGfn, firstGfn + pages)} unbacked (ballooned out, unplugged), splitting partly covered superpages. */
    public void unpopulate(long firstGfn, long pages) {
        int u = P2mType.UNBACKED.ordinal() << 4;
        change(firstGfn, pages, P2mChange.Kind.MAP, c -> u | (c & 15));
    }

    /**
     * Records the order the host actually backs {@code [firstGfn, firstGfn + pages)} with (read
     * back, e.g. from the kernel's page flags): larger entries in the range are split down to
     * {@code order}; smaller ones are merged into one entry of {@code order} only where all of
     * them have one type and one access, the others keep their entries. The range must be aligned
     * to {@code order}.
     *
     * @return the number of entries of {@code order} the range now holds
     */
    public synchronized long setOrder(long firstGfn, long pages, PageOrder order) {
        check(firstGfn, pages);
        long n = order.pages();
        if ((firstGfn & (n - 1)) != 0 || (pages & (n - 1)) != 0) throw new IllegalArgumentException("p2m of domain " + domid + ": gfn " + Long.toHexString(firstGfn) + " + " + pages + " is not aligned to " + order.label());
        long count = 0;
        for (long g = firstGfn; g < firstGfn + pages; g += n) {
            if (order == PageOrder.ORDER_4K) {
                splitTo(g, O4K);
                count++;
            } else if (order == PageOrder.ORDER_2M) {
                splitTo(g, O2M);
                int i = (int) (g >>> L3), j = (int) (g >>> L2) & (FAN - 1);
                byte[] l = mid[i].leaf[j];
                if (l != null && uniform(l)) collapse2M(mid[i], j);
                if (mid[i].leaf[j] == null) count++;
            } else {
                int i = (int) (g >>> L3);
                Mid m = mid[i];
                if (m != null) {
                    for (int j = 0; j < FAN; j++) if (m.leaf[j] != null && uniform(m.leaf[j])) collapse2M(m, j);
                    if (Arrays.stream(m.leaf).allMatch(x -> x == null) && uniform(m.cell)) collapse1G(i);
                }
                if (mid[i] == null) count++;
            }
        }
        fire(new P2mChange(domid, firstGfn, pages, P2mChange.Kind.ORDER));
        return count;
    }

    /** The domain is gone: listeners hear {@link P2mChange.Kind#DESTROY} once and are dropped. */
    public void destroy() {
        synchronized (this) {
            if (destroyed) return;
            destroyed = true;
            fire(new P2mChange(domid, 0, maxPages, P2mChange.Kind.DESTROY));
        }
        listeners.clear();
    }

    // ---- the walk

    private synchronized void change(long firstGfn, long pages, P2mChange.Kind kind, IntUnaryOperator f) {
        check(firstGfn, pages);
        List<P2mChange> splits = new ArrayList<>(2);
        apply(firstGfn, pages, f, splits);
        for (P2mChange s : splits) fire(s);
        fire(new P2mChange(domid, firstGfn, pages, kind));
    }

    /**
     * Applies {@code f} to every entry over the range: a fully covered entry changes whole, a
     * superpage partly covered is split first (recorded in {@code splits}) unless {@code f}
     * leaves it as it is.
     */
    private void apply(long first, long pages, IntUnaryOperator f, List<P2mChange> splits) {
        long end = first + pages;
        for (int i = (int) (first >>> L3); i <= (int) ((end - 1) >>> L3); i++) {
            long base = (long) i << L3;
            long lo = Math.max(first, base), hi = Math.min(end, base + (1L << L3));
            if (mid[i] == null) {
                int nc = f.applyAsInt(top[i]);
                if (nc == top[i]) continue;
                if (lo == base && hi == base + (1L << L3)) {
                    account(top[i], O1G, -1);
                    top[i] = (byte) nc;
                    account(nc, O1G, 1);
                    continue;
                }
                split1G(i);
                if (splits != null) splits.add(new P2mChange(domid, base, 1L << L3, P2mChange.Kind.ORDER));
            }
            Mid m = mid[i];
            for (int j = (int) ((lo - base) >>> L2); j <= (int) ((hi - 1 - base) >>> L2); j++) {
                long b2 = base + ((long) j << L2);
                long lo2 = Math.max(lo, b2), hi2 = Math.min(hi, b2 + FAN);
                if (m.leaf[j] == null) {
                    int nc = f.applyAsInt(m.cell[j]);
                    if (nc == m.cell[j]) continue;
                    if (lo2 == b2 && hi2 == b2 + FAN) {
                        account(m.cell[j], O2M, -1);
                        m.cell[j] = (byte) nc;
                        account(nc, O2M, 1);
                        continue;
                    }
                    split2M(m, j);
                    if (splits != null) splits.add(new P2mChange(domid, b2, FAN, P2mChange.Kind.ORDER));
                }
                byte[] l = m.leaf[j];
                for (int k = (int) (lo2 - b2); k < (int) (hi2 - b2); k++) {
                    int oc = l[k], nc = f.applyAsInt(oc);
                    if (oc != nc) {
                        account(oc, O4K, -1);
                        l[k] = (byte) nc;
                        account(nc, O4K, 1);
                    }
                }
            }
        }
    }

    private void putLeaf(long g, int order, byte c) {
        int i = (int) (g >>> L3);
        if (order == O1G) {
            if (mid[i] != null) {
                unaccount(mid[i]);
                mid[i] = null;
            } else {
                account(top[i], O1G, -1);
            }
            top[i] = c;
            account(c, O1G, 1);
            return;
        }
        if (mid[i] == null) split1G(i);
        Mid m = mid[i];
        int j = (int) (g >>> L2) & (FAN - 1);
        if (m.leaf[j] != null) {
            for (byte x : m.leaf[j]) account(x, O4K, -1);
            m.leaf[j] = null;
        } else {
            account(m.cell[j], O2M, -1);
        }
        m.cell[j] = c;
        account(c, O2M, 1);
    }

    private void splitTo(long g, int order) {
        int i = (int) (g >>> L3);
        if (mid[i] == null) split1G(i);
        if (order == O4K) {
            int j = (int) (g >>> L2) & (FAN - 1);
            if (mid[i].leaf[j] == null) split2M(mid[i], j);
        }
    }

    private void split1G(int i) {
        Mid m = new Mid();
        Arrays.fill(m.cell, top[i]);
        account(top[i], O1G, -1);
        accountN(top[i], O2M, FAN);
        mid[i] = m;
    }

    private void split2M(Mid m, int j) {
        byte[] l = new byte[FAN];
        Arrays.fill(l, m.cell[j]);
        account(m.cell[j], O2M, -1);
        accountN(m.cell[j], O4K, FAN);
        m.leaf[j] = l;
    }

    private void collapse2M(Mid m, int j) {
        byte c = m.leaf[j][0];
        accountN(c, O4K, -FAN);
        m.leaf[j] = null;
        m.cell[j] = c;
        account(c, O2M, 1);
    }

    private void collapse1G(int i) {
        byte c = mid[i].cell[0];
        accountN(c, O2M, -FAN);
        mid[i] = null;
        top[i] = c;
        account(c, O1G, 1);
    }

    private void unaccount(Mid m) {
        for (int j = 0; j < FAN; j++) {
            if (m.leaf[j] == null) account(m.cell[j], O2M, -1);
            else for (byte x : m.leaf[j]) account(x, O4K, -1);
        }
    }

    private static boolean uniform(byte[] a) {
        for (byte x : a) if (x != a[0]) return false;
        return true;
    }

    private void account(int c, int order, int sign) {
        accountN(c, order, sign);
    }

    /** {@code n} entries of {@code order} with cell {@code c} appear (n > 0) or go (n < 0). */
    private void accountN(int c, int order, long n) {
        if ((c >> 4) == P2mType.UNBACKED.ordinal()) return;
        long pages = n << ORDERS[order].order();
        entriesByOrder[order] += n;
        pagesByType[c >> 4] += pages;
        pagesByAccess[c & 15] += pages;
    }

    private void check(long first, long pages) {
        if (first < 0 || pages <= 0 || first + pages > maxPages || first + pages < first) {
            throw new IllegalArgumentException("p2m of domain " + domid + ": gfns " + Long.toHexString(first) + " + " + pages + " outside 0 - " + Long.toHexString(maxPages - 1));
        }
    }

    private void fire(P2mChange c) {
        for (P2mListener l : listeners) {
            try {
                l.changed(c);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "p2m listener " + l + " failed on " + c, e);
            }
        }
    }
}
