package org.hvkit.platform.sim.internal;

import org.hvkit.api.platform.Guest;
import org.hvkit.api.platform.GuestVcpu;

/** A simulated guest: one workload-driven vCPU per vCPU of the domain. */
final class SimGuest implements Guest {
    private final SimVcpu[] vcpus;

    SimGuest(SimVcpu[] vcpus) {
        this.vcpus = vcpus;
    }

    @Override
    public GuestVcpu vcpu(int i) {
        return vcpus[i];
    }

    @Override
    public void destroy() {
        for (SimVcpu v : vcpus) v.kill();
    }
}
