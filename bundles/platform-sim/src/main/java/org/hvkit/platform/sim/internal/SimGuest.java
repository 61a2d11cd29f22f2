package org.hvkit.platform.sim.internal;

import org.hvkit.api.platform.Guest;
import org.hvkit.api.platform.GuestVcpu;

/** A simulated guest: one workload-driven vCPU per vCPU of the domain. */
final class SimGuest implements Guest {
    private final SimPlatform platform;
    private final SimVcpu[] vcpus;

    SimGuest(SimPlatform platform, SimVcpu[] vcpus) {
        this.platform = platform;
        this.vcpus = vcpus;
    }

    @Override
    public GuestVcpu vcpu(int i) {
        return vcpus[i];
    }

    /** GUEST record on the simulated machine: "SIM1", the vCPU count, then each vCPU's workload state. */
    @Override
    public void save(java.io.DataOutput out, long now) throws java.io.IOException {
        out.writeInt(MAGIC);
        out.writeInt(vcpus.length);
        for (SimVcpu v : vcpus) {
            platform.settle(v, now);
            v.save(out, now);
        }
    }

    @Override
    public void restore(java.io.DataInput in, long now) throws java.io.IOException {
        if (in.readInt() != MAGIC) throw new java.io.IOException("not a simulated machine's guest state");
        int n = in.readInt();
        if (n != vcpus.length) throw new java.io.IOException("state of " + n + " vcpus for a domain of " + vcpus.length);
        for (SimVcpu v : vcpus) v.restore(in, now);
    }

    /** The simulated balloon reaches a target at once, in whole 4 KiB pages, keeping at least 1 MiB. */
    @Override
    public long memoryTarget(long targetBytes, long holdsBytes) {
        return Math.max(1L << 20, (targetBytes + 4095) & ~4095L);
    }

    private static final int MAGIC = 0x53494D31; // "SIM1"

    @Override
    public void destroy() {
        for (SimVcpu v : vcpus) v.kill();
    }
}
