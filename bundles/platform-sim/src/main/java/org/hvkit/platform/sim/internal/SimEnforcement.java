package org.hvkit.platform.sim.internal;

import org.hvkit.api.domain.ShutdownReason;
import org.hvkit.api.memaccess.AccessEnforcement;
import org.hvkit.api.memaccess.ViolationHandler;
import org.hvkit.api.p2m.P2m;

/** Memory access on the simulated machine: the workloads' accesses are checked against the p2m by {@link SimVcpu}; this is the handler's handle on one guest. */
final class SimEnforcement implements AccessEnforcement {
    private final SimPlatform platform;
    private final SimGuest guest;
    private final ViolationHandler handler;

    SimEnforcement(SimPlatform platform, SimGuest guest, ViolationHandler handler) {
        this.platform = platform;
        this.guest = guest;
        this.handler = handler;
    }

    @Override
    public int domainId() {
        return guest.domid;
    }

    @Override
    public int vcpus() {
        return guest.vcpus.length;
    }

    @Override
    public P2m p2m() {
        return guest.p2m;
    }

    @Override
    public void resume(int vcpu, boolean completeOnce) {
        if (vcpu < 0 || vcpu >= guest.vcpus.length) return;
        platform.inMachine(() -> {
            if (!guest.destroyed()) guest.vcpus[vcpu].resume(completeOnce);
        });
    }

    @Override
    public void crash(String reason) {
        platform.inMachine(() -> {
            if (!guest.destroyed()) guest.events.shutdown(ShutdownReason.CRASH, reason);
        });
    }

    @Override
    public void log(String line) {
        platform.inMachine(() -> {
            if (!guest.destroyed()) guest.events.log(line);
        });
    }

    @Override
    public void close() {
        platform.inMachine(() -> {
            if (guest.handler != handler) return;
            guest.handler = null;
            for (SimVcpu v : guest.vcpus) v.resume(false);
        });
    }
}
