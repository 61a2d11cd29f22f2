package org.hvkit.sched.credit1.internal;

import org.hvkit.api.sched.SchedDomain;

/** credit1's private data for one domain (Xen's csched_dom). */
final class CsDomain {
    final SchedDomain dom;
    int weight;
    int cap;
    /** vCPUs of this domain on the active list. */
    int activeVcpus;
    /** On the instance's active-domain list. */
    boolean active;

    CsDomain(SchedDomain dom, int weight, int cap) {
        this.dom = dom;
        this.weight = weight;
        this.cap = cap;
    }
}
