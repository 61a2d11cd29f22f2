package org.hvkit.iommu.vtd.internal;

import org.hvkit.api.iommu.DmaTarget;
import org.hvkit.api.p2m.P2mListener;

/** One domain's DMA address space: its VT-d domain id, memory, second-level translation and how many devices use it. */
final class DomainSpace {
    final int did;
    final int domid;
    final DmaTarget target;
    final SecondLevel tables;
    P2mListener listener; // set once registered
    int devices;          // under the unit lock
    /** no-sharept: p2m changes seen so far, and whether the tables were built; under the unit lock. */
    long changes;
    boolean built;

    DomainSpace(int did, DmaTarget target, SecondLevel tables) {
        this.did = did;
        this.domid = target.domainId();
        this.target = target;
        this.tables = tables;
    }
}
