package org.hvkit.api.p2m;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One domain's p2m: every guest frame below {@link #maxPages()} has an entry of some
 * {@link PageOrder order} (an aligned 4 KiB, 2 MiB or 1 GiB range), a {@link P2mType type} and an
 * {@link P2mAccess access}. Thread-safe: any thread may read or change it; changes are atomic per
 * call and reach the {@link P2mListener listeners} before the call returns.
 *
 * <p>Gfns outside {@code [0, maxPages())} and empty or overflowing ranges are refused with an
 * {@link IllegalArgumentException} naming the domain and the range.
 */
@ProviderType
public interface P2m {
    int domainId();

    /** The number of guest frames the table covers: gfns {@code 0 .. maxPages() - 1}. */
    long maxPages();

    /** The entry that maps {@code gfn}: its aligned start, size, order, type and access. */
    P2mRange entry(long gfn);

    default P2mAccess access(long gfn) {
        return entry(gfn).access();
    }

    default P2mType type(long gfn) {
        return entry(gfn).type();
    }

    default PageOrder order(long gfn) {
        return entry(gfn).order();
    }

    /**
     * The entries over {@code [firstGfn, firstGfn + pages)}, clipped to that range, with neighbours
     * of equal order, type and access merged into one range (a list of runs, not of entries).
     */
    List<P2mRange> ranges(long firstGfn, long pages);

    /**
     * Sets the access of frames {@code [firstGfn, firstGfn + pages)} (Xen's
     * {@code HVMOP_set_mem_access}). A superpage only partly inside the range is split first, as
     * Xen's p2m splits one (a 1 GiB entry into 2 MiB entries, the 2 MiB entry concerned into 4 KiB
     * ones); a superpage wholly inside keeps its order. Setting an access never merges entries into
     * a superpage: once split, frames stay 4 KiB entries until the platform reports a superpage it
     * really obtained. Unbacked frames take the access too, for when they are populated.
     */
    void setAccess(long firstGfn, long pages, P2mAccess access);

    /** The access given to frames populated from now on ({@code first_pfn = ~0} in Xen). */
    P2mAccess defaultAccess();

    void setDefaultAccess(P2mAccess access);

    /** Totals per order, type and access, consistent with one moment of the table. */
    P2mCounts counts();

    /** Adds a listener (once, however often added). */
    void addListener(P2mListener l);

    void removeListener(P2mListener l);
}
