package org.hvkit.platform.sim.internal;

import org.hvkit.api.memaccess.ViolationHandler;
import org.hvkit.api.p2m.P2mTable;
import org.hvkit.api.platform.Guest;
import org.hvkit.api.platform.GuestEvents;
import org.hvkit.api.platform.GuestVcpu;

/** A simulated guest: one workload-driven vCPU per vCPU of the domain, its p2m and the violation handler attached to it. */
final class SimGuest implements Guest {
    final int domid;
    final P2mTable p2m;
    final GuestEvents events;
    private final SimPlatform platform;
    SimVcpu[] vcpus;
    /** Written in machine context only; null: the platform's own no-listener rule. */
    ViolationHandler handler;
    long violations;
    /** Its memory's bytes, the DMA target of its devices. */
    final SimRam ram;
    /** Assigned devices whose BARs its vCPUs reach (PciPlatform.plug); the DMA phase drives the first. */
    final java.util.List<org.hvkit.api.pci.PciDevice> devices = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** DMA faults told on the console so far (the first few only). Machine context. */
    int dmaFaultsSaid;
    private boolean destroyed;

    SimGuest(int domid, P2mTable p2m, GuestEvents events, SimPlatform platform) {
        this.domid = domid;
        this.p2m = p2m;
        this.events = events;
        this.platform = platform;
        this.ram = new SimRam(p2m);
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
        if (destroyed) return;
        destroyed = true;
        for (SimVcpu v : vcpus) v.kill();
        devices.clear();
        ram.clear();
        ViolationHandler h = handler;
        handler = null;
        platform.forget(this);
        if (h != null) h.destroyed();
    }

    boolean destroyed() {
        return destroyed;
    }
}
