package org.hvkit.sched.credit1.internal;

import org.hvkit.api.sched.SchedDomain;

/** credit1's private data for one domain (Xen's csched_dom). */
final class CsDomain {
    final SchedDomain dom;
    int weight;
    int cap;
    /** Its active vCPUs (intrusive list, so accounting walks them without allocating). */
    CsVcpu activeHead;
    int activeVcpus;
    /** On the instance's active-domain list. */
    boolean active;
    CsDomain activePrev, activeNext;

    CsDomain(SchedDomain dom, int weight, int cap) {
        this.dom = dom;
        this.weight = weight;
        this.cap = cap;
    }
}
