package org.hvkit.core.internal;

import static org.hvkit.api.toolstack.HypervisorException.Errno.EBUSY;
import static org.hvkit.api.toolstack.HypervisorException.Errno.EEXIST;
import static org.hvkit.api.toolstack.HypervisorException.Errno.EINVAL;
import static org.hvkit.api.toolstack.HypervisorException.Errno.ENODEV;
import static org.hvkit.api.toolstack.HypervisorException.Errno.ENOENT;

import java.util.ArrayList;
import java.util.List;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerProvider;
import org.hvkit.api.toolstack.HypervisorException;

/**
 * CPU pools with Xen's rules (xen.md §4.1): a pCPU in at most one pool, a domain in exactly one,
 * a pool with domains keeps at least one pCPU, only empty pools are destroyed, Domain-0 stays in
 * Pool-0. Machine context.
 */
final class PoolOps {
    private final Machine m;

    PoolOps(Machine m) {
        this.m = m;
    }

    CpuPool require(int poolId) {
        CpuPool p = m.pools.get(poolId);
        if (p == null) throw new HypervisorException(ENOENT, "no cpupool with id " + poolId);
        return p;
    }

    CpuMask freeCpus() {
        CpuMask used = CpuMask.EMPTY;
        for (CpuPool p : m.pools.values()) used = used.or(p.cpus);
        return m.topology().allCpus().andNot(used);
    }

    private SchedulerProvider provider(String name) {
        SchedulerProvider p = m.providers.get(name);
        if (p == null && FallbackScheduler.NAME.equals(name)) p = FallbackScheduler.PROVIDER;
        if (p == null) throw new HypervisorException(EINVAL, "Unknown scheduler \"" + name + "\" (available: " + String.join(", ", m.providers.keySet()) + ")");
        return p;
    }

    private void requireFree(CpuMask cpus) {
        CpuMask free = freeCpus();
        for (int c = cpus.first(); c >= 0; c = cpus.nextSetBit(c + 1)) {
            if (!free.contains(c)) throw new HypervisorException(EBUSY, "cpu " + c + " illegal or not free");
        }
    }

    CpuPool create(String name, String scheduler, CpuMask cpus) {
        if (name == null || name.isBlank()) throw new HypervisorException(EINVAL, "Missing cpupool name!");
        for (CpuPool p : m.pools.values()) if (p.name.equals(name)) throw new HypervisorException(EEXIST, "Pool name \"" + name + "\" already exists");
        SchedulerProvider prov = provider(scheduler);
        requireFree(cpus);
        int id = m.pools.isEmpty() ? 0 : m.pools.lastKey() + 1;
        CpuPool pool = new CpuPool(id, name, prov.optName());
        m.pools.put(id, pool);
        pool.cpus = cpus;
        for (int c = cpus.first(); c >= 0; c = cpus.nextSetBit(c + 1)) m.pcpu(c).pool = pool;
        m.switchTo(pool, prov, true);
        m.printk("cpupool " + name + " (id " + id + ") created: scheduler " + prov.optName() + ", cpus " + (cpus.isEmpty() ? "none" : cpus.toRangeList()));
        return pool;
    }

    void destroy(int poolId) {
        CpuPool pool = require(poolId);
        if (!pool.domains.isEmpty()) {
            throw new HypervisorException(EBUSY, "cpupool " + pool.name + " still has " + pool.domains.size() + " domain(s); move or destroy them first");
        }
        if (pool.watchdog != null) pool.watchdog.stop();
        m.detach(pool, true);
        for (int c = pool.cpus.first(); c >= 0; c = pool.cpus.nextSetBit(c + 1)) m.pcpu(c).pool = null;
        m.pools.remove(poolId);
        m.printk("cpupool " + pool.name + " (id " + poolId + ") destroyed");
    }

    void rename(int poolId, String newName) {
        CpuPool pool = require(poolId);
        if (newName == null || newName.isBlank()) throw new HypervisorException(EINVAL, "Can't rename cpupool '" + pool.name + "': empty name");
        for (CpuPool p : m.pools.values()) {
            if (p != pool && p.name.equals(newName)) throw new HypervisorException(EEXIST, "Can't rename cpupool '" + pool.name + "': \"" + newName + "\" is taken");
        }
        pool.name = newName;
    }

    void addCpus(int poolId, CpuMask cpus) {
        CpuPool pool = require(poolId);
        if (cpus.isEmpty()) throw new HypervisorException(ENODEV, "no free cpu found");
        requireFree(cpus);
        Scheduler s = pool.scheduler;
        for (int c = cpus.first(); c >= 0; c = cpus.nextSetBit(c + 1)) {
            pool.cpus = pool.cpus.with(c);
            m.pcpu(c).pool = pool;
            if (s != null) {
                try {
                    s.addPcpu(c);
                } catch (RuntimeException | Error e) {
            HookGuard.rethrowIfAbandoned(e);
                    m.evict(pool, "alloc_pdata(" + c + ") threw " + e);
                    s = pool.scheduler;
                }
            }
            m.platform().tickle(c);
        }
        if (pool.watchdog == null) m.armWatchdog(pool);
    }

    void removeCpus(int poolId, CpuMask cpus) {
        CpuPool pool = require(poolId);
        for (int c = cpus.first(); c >= 0; c = cpus.nextSetBit(c + 1)) {
            if (!pool.cpus.contains(c)) throw new HypervisorException(ENODEV, "cpu " + c + " is not in cpupool " + pool.name);
        }
        if (!pool.domains.isEmpty() && pool.cpus.andNot(cpus).isEmpty()) {
            throw new HypervisorException(EBUSY, "cpupool " + pool.name + " would lose its last cpu while it has " + pool.domains.size() + " domain(s)");
        }
        for (int c = cpus.first(); c >= 0; c = cpus.nextSetBit(c + 1)) removeCpu(pool, c);
        m.armWatchdog(pool);
    }

    /** Xen's cpu_disable_scheduler: move everything off the pCPU, breaking affinity that would leave a vCPU nowhere to run. */
    private void removeCpu(CpuPool pool, int cpu) {
        CpuMask remaining = pool.cpus.without(cpu);
        m.takeOffCpu(cpu);
        pool.cpus = remaining;
        for (Domain d : pool.domains) {
            for (Vcpu v : d.vcpus) {
                if (!v.hard.intersects(remaining)) {
                    m.printk("Breaking vcpu affinity for domain " + d.id + " vcpu " + v.id);
                    v.hard = m.topology().allCpus();
                }
                if (v.processor == cpu || !v.hard.contains(v.processor)) m.relocate(v, remaining);
            }
        }
        Scheduler s = pool.scheduler;
        if (s != null) {
            try {
                s.removePcpu(cpu);
            } catch (RuntimeException | Error e) {
            HookGuard.rethrowIfAbandoned(e);
                m.evict(pool, "free_pdata(" + cpu + ") threw " + e);
            }
        }
        m.pcpu(cpu).pool = null;
    }

    void migrateDomain(Domain d, int poolId) {
        CpuPool to = require(poolId);
        if (d.isControlDomain()) throw new HypervisorException(EINVAL, "Domain-0 cannot leave Pool-0");
        if (to == d.pool) return;
        if (to.cpus.isEmpty()) throw new HypervisorException(ENODEV, "cpupool " + to.name + " has no cpus");
        CpuPool from = d.pool;
        for (Vcpu v : d.vcpus) if (v.running) m.takeOffCpu(v.processor);
        Scheduler old = from.scheduler;
        if (old != null) {
            try {
                for (Vcpu v : d.vcpus) {
                    if (v.awake) old.sleep(v);
                    if (v.inserted) old.removeVcpu(v);
                }
                old.removeDomain(d);
            } catch (RuntimeException | Error e) {
            HookGuard.rethrowIfAbandoned(e);
                m.evict(from, "moving domain " + d.id + " out threw " + e);
            }
        }
        for (Vcpu v : d.vcpus) {
            v.inserted = false;
            v.awake = false;
            v.setSchedData(null);
        }
        d.setSchedData(null);
        from.removeDomain(d);
        d.pool = to;
        to.addDomain(d);
        // Xen resets affinity on a pool move and spreads the vCPUs round robin over the new pool
        int cpu = to.cpus.first();
        for (Vcpu v : d.vcpus) {
            v.hard = m.topology().allCpus();
            v.place(cpu);
            cpu = to.cpus.cycle(cpu);
        }
        Scheduler s = to.scheduler;
        if (s != null) {
            try {
                s.addDomain(d, Machine.domainParams(to.provider, d));
                for (Vcpu v : d.vcpus) {
                    if (!v.online) continue;
                    s.insertVcpu(v);
                    v.inserted = true;
                }
            } catch (RuntimeException | Error e) {
            HookGuard.rethrowIfAbandoned(e);
                m.evict(to, "moving domain " + d.id + " in threw " + e);
            }
        }
        for (Vcpu v : d.vcpus) m.runnableChanged(v);
        m.printk("domain " + d.id + " (" + d.name + ") moved from cpupool " + from.name + " to " + to.name);
    }

    /** Xen's cpupool-numa-split: one pool per NUMA node, named Pool-node<N>, with Pool-0's scheduler. */
    List<CpuPool> numaSplit(DomainOps domains) {
        if (m.pools.size() > 1) throw new HypervisorException(EBUSY, "splitting not possible, already cpupools in use");
        CpuPool pool0 = m.pools.get(0);
        var topo = m.topology();
        int firstNode = topo.nodeOf(0);
        CpuMask node0 = topo.nodeCpus(firstNode);
        CpuMask free = freeCpus().and(node0);
        if (!free.isEmpty()) addCpus(0, free);
        List<CpuPool> created = new ArrayList<>();
        for (int n = 0; n < topo.nrNodes(); n++) {
            if (n == firstNode) continue;
            CpuMask cpus = topo.nodeCpus(n);
            CpuMask inPool0 = cpus.and(pool0.cpus);
            if (!inPool0.isEmpty()) removeCpus(0, inPool0);
        }
        rename(0, "Pool-node" + firstNode);
        domains.limitDom0Vcpus(pool0.cpus.and(node0).cardinality());
        String sched = pool0.schedulerName;
        for (int n = 0; n < topo.nrNodes(); n++) {
            if (n == firstNode) continue;
            created.add(create("Pool-node" + n, sched, topo.nodeCpus(n).and(freeCpus())));
        }
        return created;
    }
}
