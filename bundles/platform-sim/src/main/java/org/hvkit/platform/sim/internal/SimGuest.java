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
    private boolean destroyed;

    SimGuest(int domid, P2mTable p2m, GuestEvents events, SimPlatform platform) {
        this.domid = domid;
        this.p2m = p2m;
        this.events = events;
        this.platform = platform;
    }

    @Override
    public GuestVcpu vcpu(int i) {
        return vcpus[i];
    }

    @Override
    public void destroy() {
        if (destroyed) return;
        destroyed = true;
        for (SimVcpu v : vcpus) v.kill();
        ViolationHandler h = handler;
        handler = null;
        platform.forget(this);
        if (h != null) h.destroyed();
    }

    boolean destroyed() {
        return destroyed;
    }
}
