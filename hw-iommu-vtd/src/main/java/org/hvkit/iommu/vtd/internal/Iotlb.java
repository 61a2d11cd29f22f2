package org.hvkit.iommu.vtd.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A unit's IOTLB: direct-mapped, tagged by domain id and I/O page. A hit is two plain loads of
 * an immutable entry (no lock). Fills and invalidations run under the unit's lock; every
 * invalidation bumps {@link #seq}, and a fill whose walk began before an invalidation is dropped,
 * so a walk racing with a p2m change or a detach never leaves a stale entry behind.
 */
final class Iotlb {
    static final int SIZE = 4096;
    private record Entry(int did, long vpn, long leaf) { }

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SIZE);
    private volatile long seq;
    long misses, fills, invalidations; // under the unit's lock

    private static int index(int did, long vpn) {
        return (int) ((vpn * 0x9E3779B97F4A7C15L + did * 0xC2B2AE3D27D4EB4FL) >>> 52);
    }

    /** The cached leaf of (did, vpn), or -1. */
    long lookup(int did, long vpn) {
        Entry e = slots.get(index(did, vpn));
        return e != null && e.vpn == vpn && e.did == did ? e.leaf : -1;
    }

    long seq() {
        return seq;
    }

    /** Under the lock: caches the walk begun at {@code seqAtWalk} unless something was invalidated since. */
    void fill(int did, long vpn, long leaf, long seqAtWalk) {
        if (seq != seqAtWalk) return;
        slots.set(index(did, vpn), new Entry(did, vpn, leaf));
        fills++;
    }

    /** Under the lock: global invalidation. */
    void invalidateAll() {
        for (int i = 0; i < SIZE; i++) slots.set(i, null);
        bump();
    }

    /** Under the lock: domain-selective invalidation. */
    void invalidateDomain(int did) {
        for (int i = 0; i < SIZE; i++) {
            Entry e = slots.get(i);
            if (e != null && e.did == did) slots.set(i, null);
        }
        bump();
    }

    /** Under the lock: page-selective invalidation of I/O pages [vpn, vpn + pages). */
    void invalidatePages(int did, long vpn, long pages) {
        if (pages <= 64) {
            for (long p = vpn; p < vpn + pages; p++) {
                int i = index(did, p);
                Entry e = slots.get(i);
                if (e != null && e.did == did && e.vpn == p) slots.set(i, null);
            }
        } else {
            for (int i = 0; i < SIZE; i++) {
                Entry e = slots.get(i);
                if (e != null && e.did == did && e.vpn >= vpn && e.vpn - vpn < pages) slots.set(i, null);
            }
        }
        bump();
    }

    int size() {
        int n = 0;
        for (int i = 0; i < SIZE; i++) if (slots.get(i) != null) n++;
        return n;
    }

    private void bump() {
        seq = seq + 1; // only under the unit's lock
        invalidations++;
    }
}
