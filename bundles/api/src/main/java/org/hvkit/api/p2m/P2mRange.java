package org.hvkit.api.p2m;

/**
 * A run of {@code pages} frames from {@code firstGfn} mapped by entries of one order, type and
 * access. A single entry is a range of {@code order.pages()} frames aligned to its order.
 */
public record P2mRange(long firstGfn, long pages, PageOrder order, P2mType type, P2mAccess access) {
    public P2mRange {
        if (firstGfn < 0 || pages <= 0) throw new IllegalArgumentException("bad range: gfn " + firstGfn + " + " + pages);
    }

    /** One past the last frame. */
    public long endGfn() {
        return firstGfn + pages;
    }
}
