package org.hvkit.sched.credit2.internal;

import java.util.Map;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.testkit.FakeCore;
import org.hvkit.testkit.FakeCore.FakeVcpu;

/** A fake core of one socket (one credit2 runqueue) for hook-by-hook tests, and the vCPUs on it. */
final class OneRunqueue {
    static final long MS = 1_000_000L;

    private OneRunqueue() {
    }

    static FakeCore<Credit2Scheduler> core(int pcpus) {
        return new FakeCore<>(new Credit2Provider(), HostTopology.of(1, pcpus, 1, 1, 8L << 30), Map.of());
    }

    /** The one vCPU of a new domain of the default weight, not yet started. */
    static FakeVcpu vcpu(FakeCore<Credit2Scheduler> c) {
        return c.domain(256, 0, 1).v(0);
    }

    static C2Vcpu svc(FakeVcpu v) {
        return (C2Vcpu) v.schedData();
    }
}
