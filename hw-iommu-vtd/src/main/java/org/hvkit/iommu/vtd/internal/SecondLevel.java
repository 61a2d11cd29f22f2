package org.hvkit.iommu.vtd.internal;

/** A domain's second-level translation as a context entry points at it: VT-d tables of its own, or the p2m shared. */
interface SecondLevel {
    /**
     * Walks the translation of I/O page {@code vpn} (iova >> 12): {@link Vtd#leaf} with the guest
     * frame of that page and the R/W the leaf gives (neither: not present), or minus a fault reason
     * for a malformed table. Called without the unit's lock held for the p2m (its own lock), with it
     * held for VT-d tables.
     */
    long walk(long vpn);

    /** Whether the walk reads the unit's table memory (then the caller holds the unit's lock). */
    boolean usesTableMemory();

    /** Frees what the translation holds; it is not used after. */
    void close();

    /** The root a context entry's SLPTPTR holds. */
    long root();
}
