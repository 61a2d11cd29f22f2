package org.hvkit.api.p2m;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class P2mTableTest {
    private static final long G = 1L << 18, M = 512;

    @Test
    void populateUsesTheLargestAlignedOrder() {
        P2mTable t = new P2mTable(1, 3 * G);
        t.populate(0, 2 * G + 3 * M + 5, PageOrder.ORDER_1G, P2mType.RAM);
        P2mCounts c = t.counts();
        assertEquals(2, c.entriesByOrder().get(PageOrder.ORDER_1G));
        assertEquals(3, c.entriesByOrder().get(PageOrder.ORDER_2M));
        assertEquals(5, c.entriesByOrder().get(PageOrder.ORDER_4K));
        assertEquals(2 * G + 3 * M + 5, c.pagesByType().get(P2mType.RAM));
        assertEquals(3 * G - (2 * G + 3 * M + 5), c.pagesByType().get(P2mType.UNBACKED));
        assertEquals(PageOrder.ORDER_2M, t.order(2 * G + 700));
        assertEquals(P2mType.UNBACKED, t.type(2 * G + 3 * M + 5));
    }

    @Test
    void partialAccessSplitsAsXenAndRestoringDoesNotMerge() {
        P2mTable t = new P2mTable(1, G);
        t.populate(0, G, PageOrder.ORDER_1G, P2mType.RAM);
        List<P2mChange> seen = new ArrayList<>();
        t.addListener(seen::add);
        t.setAccess(5, 1, P2mAccess.RX);
        // the 1G entry became 511 2M entries and the first 2M one became 512 4K entries
        P2mCounts c = t.counts();
        assertEquals(0, c.entriesByOrder().get(PageOrder.ORDER_1G));
        assertEquals(511, c.entriesByOrder().get(PageOrder.ORDER_2M));
        assertEquals(512, c.entriesByOrder().get(PageOrder.ORDER_4K));
        assertEquals(1, c.pagesByAccess().get(P2mAccess.RX));
        assertEquals(G - 1, c.pagesByAccess().get(P2mAccess.RWX));
        assertEquals(List.of(new P2mChange(1, 0, G, P2mChange.Kind.ORDER), new P2mChange(1, 0, M, P2mChange.Kind.ORDER), new P2mChange(1, 5, 1, P2mChange.Kind.ACCESS)), seen);
        t.setAccess(5, 1, P2mAccess.RWX);
        assertEquals(512, t.counts().entriesByOrder().get(PageOrder.ORDER_4K), "restoring rwx claims no superpage");
        assertEquals(0, t.restrictedPages());
        // only the platform's read-back makes it a superpage again
        assertEquals(1, t.setOrder(0, M, PageOrder.ORDER_2M));
        assertEquals(PageOrder.ORDER_2M, t.order(5));
    }

    @Test
    void wholeSuperpagesKeepTheirOrder() {
        P2mTable t = new P2mTable(1, G);
        t.populate(0, G, PageOrder.ORDER_2M, P2mType.RAM);
        t.setAccess(M, 2 * M, P2mAccess.N);
        assertEquals(512, t.counts().entriesByOrder().get(PageOrder.ORDER_2M));
        assertEquals(2 * M, t.counts().pagesByAccess().get(P2mAccess.N));
        assertEquals(List.of(new P2mRange(0, M, PageOrder.ORDER_2M, P2mType.RAM, P2mAccess.RWX), new P2mRange(M, 2 * M, PageOrder.ORDER_2M, P2mType.RAM, P2mAccess.N),
                new P2mRange(3 * M, 10, PageOrder.ORDER_2M, P2mType.RAM, P2mAccess.RWX)), t.ranges(0, 3 * M + 10));
    }

    @Test
    void setOrderMergesOnlyUniformEntries() {
        P2mTable t = new P2mTable(1, G);
        t.populate(0, 4 * M, PageOrder.ORDER_4K, P2mType.RAM);
        t.setAccess(M + 1, 1, P2mAccess.R);
        assertEquals(3, t.setOrder(0, 4 * M, PageOrder.ORDER_2M));
        assertEquals(PageOrder.ORDER_4K, t.order(M + 1));
        assertEquals(PageOrder.ORDER_2M, t.order(0));
        assertThrows(IllegalArgumentException.class, () -> t.setOrder(1, M, PageOrder.ORDER_2M));
    }

    @Test
    void newPagesTakeTheDefaultAndUnpopulateDropsThem() {
        P2mTable t = new P2mTable(2, 4 * M);
        t.setDefaultAccess(P2mAccess.RX2RW);
        t.populate(0, 4 * M, PageOrder.ORDER_2M, P2mType.RAM);
        assertEquals(P2mAccess.RX2RW, t.access(3));
        t.unpopulate(M, 10);
        P2mCounts c = t.counts();
        assertEquals(4 * M - 10, c.pagesByType().get(P2mType.RAM));
        assertEquals(10, c.pagesByType().get(P2mType.UNBACKED));
        assertEquals(3, c.entriesByOrder().get(PageOrder.ORDER_2M));
        assertEquals(M - 10, c.entriesByOrder().get(PageOrder.ORDER_4K));
    }

    @Test
    void badRangesAreRefusedNamingTheDomain() {
        P2mTable t = new P2mTable(7, 100);
        var e = assertThrows(IllegalArgumentException.class, () -> t.setAccess(99, 2, P2mAccess.R));
        assertTrue(e.getMessage().contains("domain 7"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.entry(-1));
        assertThrows(IllegalArgumentException.class, () -> t.setAccess(0, Long.MAX_VALUE, P2mAccess.R));
        assertThrows(IllegalArgumentException.class, () -> t.setAccess(0, 0, P2mAccess.R));
    }

    @Test
    void throwingListenerDoesNotUndoTheChange() {
        P2mTable t = new P2mTable(1, M);
        t.populate(0, M, PageOrder.ORDER_4K, P2mType.RAM);
        t.addListener(c -> {
            throw new IllegalStateException("boom");
        });
        t.setAccess(0, 1, P2mAccess.X);
        assertEquals(P2mAccess.X, t.access(0));
    }

    /** Against a flat per-page model: random populates, access changes and order reads-back keep counts and lookups exact. */
    @Test
    void randomOperationsMatchAFlatModel() {
        long n = 2 * G + 3000;
        Random r = new Random(16);
        P2mTable t = new P2mTable(1, n);
        P2mType[] type = new P2mType[(int) n];
        P2mAccess[] acc = new P2mAccess[(int) n];
        java.util.Arrays.fill(type, P2mType.UNBACKED);
        java.util.Arrays.fill(acc, P2mAccess.RWX);
        for (int step = 0; step < 400; step++) {
            long first = r.nextLong(n), len = 1 + r.nextLong(Math.min(n - first, r.nextBoolean() ? 600 : G));
            switch (r.nextInt(4)) {
                case 0 -> {
                    P2mType ty = r.nextBoolean() ? P2mType.RAM : P2mType.MMIO_DM;
                    t.populate(first, len, PageOrder.values()[r.nextInt(3)], ty);
                    for (long g = first; g < first + len; g++) {
                        type[(int) g] = ty;
                        acc[(int) g] = t.defaultAccess();
                    }
                }
                case 1 -> {
                    P2mAccess a = P2mAccess.values()[r.nextInt(10)];
                    t.setAccess(first, len, a);
                    for (long g = first; g < first + len; g++) acc[(int) g] = a;
                }
                case 2 -> {
                    t.unpopulate(first, len);
                    for (long g = first; g < first + len; g++) type[(int) g] = P2mType.UNBACKED;
                }
                default -> {
                    long f = first & ~(M - 1);
                    long l = Math.min((len + M - 1) & ~(M - 1), (n - f) & ~(M - 1));
                    if (l > 0) t.setOrder(f, l, r.nextBoolean() ? PageOrder.ORDER_2M : PageOrder.ORDER_4K);
                }
            }
            if (step % 40 == 0) t.setDefaultAccess(P2mAccess.values()[r.nextInt(10)]);
        }
        long[] byType = new long[4], byAcc = new long[10];
        for (int g = 0; g < n; g++) {
            assertEquals(type[g], t.type(g), "type of " + g);
            assertEquals(acc[g], t.access(g), "access of " + g);
            byType[type[g].ordinal()]++;
            if (type[g] != P2mType.UNBACKED) byAcc[acc[g].ordinal()]++;
        }
        P2mCounts c = t.counts();
        for (P2mType ty : P2mType.values()) assertEquals(byType[ty.ordinal()], c.pagesByType().get(ty), ty.name());
        for (P2mAccess a : P2mAccess.values()) assertEquals(byAcc[a.ordinal()], c.pagesByAccess().get(a), a.name());
        long entryPages = 0;
        for (PageOrder o : PageOrder.values()) entryPages += c.entriesByOrder().get(o) * o.pages();
        assertEquals(c.backedPages(), entryPages);
    }
}
