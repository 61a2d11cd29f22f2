package org.hvkit.core.internal;

import static org.hvkit.api.toolstack.HypervisorException.Errno.EINVAL;

import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.toolstack.HypervisorException;

/**
 * vCPU hotplug (xl vcpu-set) in machine context. A vCPU is in its pool's scheduler exactly while it
 * is online: going offline it sleeps, leaves its pCPU and is removed (remove_vcpu); coming online it
 * is inserted (insert_vcpu) and wakes if the guest wants to run. Its guest state is kept, so a vCPU
 * brought back continues where it stopped (as after Xen's VCPUOP_down / VCPUOP_up).
 */
final class VcpuHotplug {
    private final Machine m;

    VcpuHotplug(Machine m) {
        this.m = m;
    }

    /** vCPUs 0..n-1 online, the rest offline; libxl_set_vcpuonline's check and message. */
    void setOnline(Domain d, int n) {
        if (n > d.vcpus.length) {
            throw new HypervisorException(EINVAL, "Requested " + n + " VCPUs, however maxcpus is " + d.vcpus.length + "!");
        }
        if (n < 1) throw new HypervisorException(EINVAL, "domain " + d.id + ": at least one vcpu must stay online (requested " + n + ")");
        if (d.dying) throw new HypervisorException(EINVAL, "domain " + d.id + " is dying");
        int before = online(d);
        for (Vcpu v : d.vcpus) {
            if (v.id < n) bringUp(v);
            else takeDown(v);
        }
        if (before != n) m.printk("domain " + d.id + " (" + d.name + "): vcpus online " + before + " -> " + n + " of " + d.vcpus.length);
    }

    static int online(Domain d) {
        int n = 0;
        for (Vcpu v : d.vcpus) if (v.online) n++;
        return n;
    }

    void takeDown(Vcpu v) {
        if (!v.online) return;
        v.online = false;
        m.runnableChanged(v);
        if (v.running) m.takeOffCpu(v.processor);
        remove(v);
        v.refreshState(m.now());
    }

    void bringUp(Vcpu v) {
        if (v.online) return;
        v.online = true;
        insert(v);
        m.runnableChanged(v);
    }

    /** Takes a not-running vCPU out of its pool's scheduler, if it is in. */
    void remove(Vcpu v) {
        CpuPool pool = v.domain.pool;
        Scheduler s = pool.scheduler;
        if (v.inserted && s != null) {
            try {
                s.removeVcpu(v);
            } catch (RuntimeException | Error e) {
                HookGuard.rethrowIfAbandoned(e);
                m.evict(pool, "remove_vcpu(" + v.label() + ") threw " + e);
            }
        }
        v.inserted = false;
        v.awake = false;
    }

    /** Puts an online vCPU into its pool's scheduler on an allowed pCPU; the caller wakes it. */
    void insert(Vcpu v) {
        CpuPool pool = v.domain.pool;
        Scheduler s = pool.scheduler;
        if (v.inserted || s == null) return;
        v.place(Machine.initialProcessor(v, pool));
        v.awake = false;
        try {
            s.insertVcpu(v);
            v.inserted = true;
        } catch (RuntimeException | Error e) {
            HookGuard.rethrowIfAbandoned(e);
            m.evict(pool, "insert_vcpu(" + v.label() + ") threw " + e);
        }
    }
}
