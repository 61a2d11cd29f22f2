package org.hvkit.sched.credit1.internal;

import java.util.Map;
import org.hvkit.api.platform.HostTopology;

/** The test kit's fake core driving credit1, with a look at credit1's per-vCPU data. */
final class FakeCore extends org.hvkit.testkit.FakeCore<Credit1Scheduler> {
    FakeCore(HostTopology topo, Map<String, Long> poolParams) {
        super(new Credit1Provider(), topo, poolParams);
    }

    FakeCore(int pcpus) {
        this(HostTopology.of(1, pcpus, 1, 1, 1L << 30), Map.of());
    }

    CsVcpu svc(FakeVcpu v) {
        return (CsVcpu) v.schedData();
    }
}
