package org.hvkit.sched.credit2.internal;

import java.util.ArrayList;
import java.util.List;
import org.hvkit.api.sched.SchedDomain;
import org.hvkit.api.sched.SchedTimer;

/** credit2's private data for one domain: weight, cap and the cap's budget. */
final class C2Domain {
    final SchedDomain dom;
    final List<C2Vcpu> vcpus = new ArrayList<>();
    int weight;
    int cap;
    /** What is left of this period's budget, ns (negative: overdrawn). */
    long budget;
    SchedTimer replenish;

    C2Domain(SchedDomain dom, int weight, int cap) {
        this.dom = dom;
        this.weight = weight;
        this.cap = cap;
    }
}
