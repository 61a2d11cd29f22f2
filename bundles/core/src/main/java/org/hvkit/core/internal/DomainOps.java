package org.hvkit.core.internal;

import org.hvkit.api.xsm.Permission;
import static org.hvkit.api.toolstack.HypervisorException.Errno.EBUSY;
import static org.hvkit.api.toolstack.HypervisorException.Errno.EEXIST;
import static org.hvkit.api.toolstack.HypervisorException.Errno.EINVAL;
import static org.hvkit.api.toolstack.HypervisorException.Errno.ENODEV;
import static org.hvkit.api.toolstack.HypervisorException.Errno.ENOENT;
import static org.hvkit.api.toolstack.HypervisorException.Errno.ENOMEM;
import static org.hvkit.api.toolstack.HypervisorException.Errno.EPERM;
import static org.hvkit.api.toolstack.HypervisorException.Errno.ESRCH;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.LifecycleAction;
import org.hvkit.api.domain.ShutdownReason;
import org.hvkit.api.memory.OutOfHostMemoryException;
import org.hvkit.api.platform.GuestEvents;
import org.hvkit.api.platform.GuestSpec;
import org.hvkit.api.platform.VcpuPort;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.toolstack.HypervisorException;

/**
 * Domain lifecycle in machine context: create (all or nothing), destroy, pause, shutdown with
 * the on_* actions, pinning and scheduler parameters.
 */
final class DomainOps {
    /** Xen's DOMID_FIRST_RESERVED: ids wrap below it. */
    static final int DOMID_LIMIT = 0x7FF0;
    private final Machine m;
    private int lastDomid;

    DomainOps(Machine m) {
        this.m = m;
    }

    Domain require(int domid) {
        Domain d = m.domains.get(domid);
        if (d == null) throw new HypervisorException(ESRCH, "no domain with id " + domid);
        return d;
    }

    // ------------------------------------------------------------------ boot

    CpuPool createPool0() {
        CpuPool pool = new CpuPool(0, "Pool-0", m.config.defaultScheduler());
        pool.cpus = m.topology().allCpus();
        for (int c = 0; c < pool.cpus.cardinality(); c++) m.pcpu(c).pool = pool;
        m.pools.put(0, pool);
        return pool;
    }

    void createDomain0(CpuPool pool0) {
        int hostCpus = Runtime.getRuntime().availableProcessors();
        int n = m.config.dom0Vcpus() > 0 ? m.config.dom0Vcpus() : hostCpus;
        n = Math.max(1, Math.min(n, m.topology().nrCpus()));
        DomainConfig cfg = DomainConfig.builder("Domain-0").vcpus(n).memoryMb(m.config.dom0MemoryMb()).build();
        Domain d = new Domain(0, "Domain-0", new UUID(0, 0).toString(), cfg, m.now());
        d.memory = allocateOnNodes(0, cfg.memoryMb() << 20, m.topology().allCpus());
        d.pool = pool0;
        d.vcpus = new Vcpu[n];
        for (int i = 0; i < n; i++) {
            Vcpu v = new Vcpu(m, d, i, m.nextVcpuUid(), m.topology().allCpus(), m.topology().allCpus());
            v.online = true;
            v.blocked = true; // the control domain is this JVM; it takes no simulated pCPU time
            v.place(i % m.topology().nrCpus());
            v.startAccounting(m.now());
            v.refreshState(m.now());
            d.vcpus[i] = v;
        }
        m.putDomain(d);
        pool0.addDomain(d);
        if (pool0.scheduler != null) insertDomain(pool0, d);
    }

    // ------------------------------------------------------------------ create

    /** The domain being created, until create returns; what {@link #abandoned} undoes. */
    private Domain creating;

    Domain create(DomainConfig cfg) {
        return create(cfg, cfg.startPaused());
    }

    /** Create, paused or not whatever the config says (restore builds paused, then restores the guest). */
    Domain create(DomainConfig cfg, boolean startPaused) {
        validate(cfg);
        CpuPool pool = poolFor(cfg);
        Scheduler sched = pool.scheduler;
        if (sched == null) {
            throw new HypervisorException(HypervisorException.Errno.EAGAIN,
                    "cpupool " + pool.name + " has no scheduler yet (waiting for '" + pool.schedulerName + "')");
        }
        CpuMask[] hard = affinities(cfg, pool);
        Map<String, Long> wanted = wantedParams(cfg, pool);

        int domid = allocateDomid();
        Domain d = new Domain(domid, cfg.name(), UUID.randomUUID().toString(), cfg, m.now());
        d.pool = pool;
        boolean inScheduler = false;
        creating = d;
        try {
            try {
                CpuMask reach = CpuMask.EMPTY;
                for (CpuMask h : hard) reach = reach.or(h.and(pool.cpus));
                d.memory = allocateOnNodes(domid, cfg.memoryMb() << 20, reach);
            } catch (OutOfHostMemoryException e) {
                throw new HypervisorException(ENOMEM, "cannot allocate " + cfg.memoryMb() + " MiB for domain " + cfg.name() + ": " + e.getMessage());
            }
            d.vcpus = new Vcpu[cfg.maxVcpus()];
            List<VcpuPort> ports = new ArrayList<>();
            int cpu = leastLoadedCpu(pool, hard[0]);
            CpuMask allowed = null;
            for (int i = 0; i < d.vcpus.length; i++) {
                Vcpu v = new Vcpu(m, d, i, m.nextVcpuUid(), hard[i], cfg.cpusSoft() != null ? cfg.cpusSoft() : m.topology().allCpus());
                v.online = i < cfg.vcpus();
                if (i == 0 || hard[i] != hard[i - 1]) allowed = hard[i].and(pool.cpus);
                if (i > 0) cpu = allowed.cycle(cpu);
                v.place(allowed.contains(cpu) ? cpu : allowed.first());
                d.vcpus[i] = v;
                ports.add(v);
            }
            try {
                d.guest = m.platform().createGuest(new GuestSpec(domid, cfg.name(), d.memory, ports, cfg.platformOptions(), events(d)));
            } catch (IllegalArgumentException e) {
                throw new HypervisorException(EINVAL, e.getMessage(), e);
            }
            long now = m.now();
            for (Vcpu v : d.vcpus) {
                v.guest = d.guest.vcpu(v.id);
                v.blocked = !v.guest.wantsToRun();
                v.startAccounting(now);
                v.refreshState(now);
            }
            d.paused = startPaused;
            m.putDomain(d);
            pool.addDomain(d);
            inScheduler = true;
            sched.addDomain(d, Machine.domainParams(pool.provider, d));
            if (!wanted.isEmpty()) {
                try {
                    sched.setDomainParams(d, wanted);
                } catch (IllegalArgumentException e) {
                    throw new HypervisorException(EINVAL, e.getMessage(), e);
                }
            }
            d.schedParams.putAll(sched.getDomainParams(d));
            for (Vcpu v : d.vcpus) {
                if (!v.online) continue; // an offline vCPU is in no scheduler (VcpuHotplug)
                sched.insertVcpu(v);
                v.inserted = true;
            }
            for (Vcpu v : d.vcpus) m.runnableChanged(v);
        } catch (RuntimeException | Error e) {
            HookGuard.rethrowIfAbandoned(e);
            creating = null;
            undoCreate(d, inScheduler);
            if (e instanceof HypervisorException he) throw he;
            throw new HypervisorException(EINVAL, "domain " + cfg.name() + " could not be created: " + e, e);
        }
        creating = null;
        m.printk("domain " + domid + " (" + d.name + ") created in " + pool.name + ": " + cfg.vcpus() + "/" + cfg.maxVcpus() + " vcpus, " + cfg.memoryMb() + " MiB");
        return d;
    }

    /** Memory from the nodes of {@code cpus} (the domain's node affinity), as Xen's heap allocator takes it ({@link NodeAlloc}). */
    private org.hvkit.api.memory.GuestMemory allocateOnNodes(int domid, long bytes, CpuMask cpus) {
        var mem = m.platform().memory();
        int nodes = m.topology().nrNodes();
        long[] split = NodeAlloc.split(bytes, NodeAlloc.nodeAffinity(m.topology(), cpus), NodeAlloc.free(mem, nodes));
        return mem.allocate(domid, split);
    }

    private void validate(DomainConfig cfg) {
        if (cfg.name().isBlank()) throw new HypervisorException(EINVAL, "Domain name must be specified.");
        String bad = DomainNames.problem(cfg.name());
        if (bad != null) throw new HypervisorException(EINVAL, bad);
        if (m.hasDomainNamed(cfg.name())) throw new HypervisorException(EEXIST, "domain with name \"" + cfg.name() + "\" already exists.");
        if (cfg.vcpus() < 1) throw new HypervisorException(EINVAL, "vcpus must be at least 1, not " + cfg.vcpus());
        if (cfg.maxVcpus() < cfg.vcpus()) throw new HypervisorException(EINVAL, "maxvcpus (" + cfg.maxVcpus() + ") is less than vcpus (" + cfg.vcpus() + ")");
        if (cfg.maxVcpus() > 8192) throw new HypervisorException(EINVAL, "maxvcpus " + cfg.maxVcpus() + " is above the limit of 8192");
        if (cfg.memoryMb() < 1) throw new HypervisorException(EINVAL, "memory must be at least 1 MiB, not " + cfg.memoryMb());
        if (cfg.maxMemoryMb() < cfg.memoryMb()) throw new HypervisorException(EINVAL, "maxmem (" + cfg.maxMemoryMb() + ") is less than memory (" + cfg.memoryMb() + ")");
    }

    private CpuPool poolFor(DomainConfig cfg) {
        if (cfg.pool() == null) return m.pools.get(0);
        for (CpuPool p : m.pools.values()) if (p.name.equals(cfg.pool())) {
            if (p.cpus.isEmpty()) throw new HypervisorException(ENODEV, "cpupool " + p.name + " has no cpus");
            return p;
        }
        throw new HypervisorException(ENOENT, "cpupool \"" + cfg.pool() + "\" does not exist");
    }

    private CpuMask[] affinities(DomainConfig cfg, CpuPool pool) {
        CpuMask[] hard = new CpuMask[cfg.maxVcpus()];
        for (int i = 0; i < hard.length; i++) {
            CpuMask a = cfg.affinityOf(i);
            if (a == null) a = m.topology().allCpus();
            if (!a.intersects(pool.cpus)) {
                throw new HypervisorException(EINVAL, "vcpu " + i + ": cpus \"" + a.toRangeList() + "\" has no cpu of cpupool " + pool.name
                        + " (" + pool.cpus.toRangeList() + ")");
            }
            hard[i] = a;
        }
        return hard;
    }

    private Map<String, Long> wantedParams(DomainConfig cfg, CpuPool pool) {
        Map<String, Long> wanted = new TreeMap<>();
        Map<String, Long> known = pool.provider.defaultDomainParams();
        if (cfg.weight() != null) putIfKnown(wanted, known, "weight", cfg.weight(), pool);
        if (cfg.cap() != null) putIfKnown(wanted, known, "cap", cfg.cap(), pool);
        return wanted;
    }

    private void putIfKnown(Map<String, Long> wanted, Map<String, Long> known, String key, long value, CpuPool pool) {
        if (known.containsKey(key)) wanted.put(key, value);
        else m.printk("warning: scheduler " + pool.provider.optName() + " of cpupool " + pool.name + " has no '" + key + "' parameter; " + key + "=" + value + " not applied");
    }

    /** Xen's default_vcpu0_location: the allowed pCPU with the fewest vCPUs assigned. */
    private int leastLoadedCpu(CpuPool pool, CpuMask hard) {
        CpuMask allowed = hard.and(pool.cpus);
        int best = allowed.first();
        int least = pool.vcpusOn(best);
        for (int c = allowed.nextSetBit(best + 1); c >= 0; c = allowed.nextSetBit(c + 1)) {
            int n = pool.vcpusOn(c);
            if (n < least) {
                best = c;
                least = n;
            }
        }
        return best;
    }

    private int allocateDomid() {
        int id = lastDomid;
        for (int i = 0; i < DOMID_LIMIT; i++) {
            id = id + 1 >= DOMID_LIMIT ? 1 : id + 1;
            if (!m.domains.containsKey(id)) {
                lastDomid = id;
                return id;
            }
        }
        throw new HypervisorException(EBUSY, "no free domain id");
    }

    /**
     * The thread creating a domain was abandoned inside a scheduler hook (the pool has been evicted
     * meanwhile): undo the half-made domain, as a failed create would. Machine context.
     */
    void abandoned() {
        Domain d = creating;
        creating = null;
        if (d == null) return;
        m.printk("domain " + d.id + " (" + d.name + "): creation abandoned with the evicted scheduler; undone");
        undoCreate(d, true);
    }

    private void undoCreate(Domain d, boolean inScheduler) {
        Scheduler s = d.pool.scheduler;
        if (inScheduler && s != null) {
            for (Vcpu v : d.vcpus) {
                if (v == null) continue;
                if (v.running) m.takeOffCpu(v.processor);
                if (v.inserted) quietly(() -> s.removeVcpu(v));
                v.inserted = false;
            }
            quietly(() -> s.removeDomain(d));
        }
        if (d.guest != null) quietly(d.guest::destroy);
        if (d.memory != null) d.memory.close();
        m.removeDomain(d);
        d.pool.removeDomain(d);
    }

    private void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | Error ignored) {
            HookGuard.rethrowIfAbandoned(ignored);
            // best effort while undoing: the domain is gone either way
        }
    }

    private GuestEvents events(Domain d) {
        return new GuestEvents() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void console(byte[] data, int off, int len) {
                if (!m.xsm.guest(Permission.XEN_WRITECONSOLE, d)) return; // a guest's hypercall: the guest is the subject
                d.console.write(data, off, len);
                for (int i = off; i < off + len; i++) {
                    char c = (char) (data[i] & 0xff);
                    if (c == '\n') {
                        m.printk("d" + d.id + " " + line);
                        line.setLength(0);
                    } else if (c >= 0x20 && c < 0x7f) {
                        line.append(c);
                    }
                }
            }

            @Override
            public void log(String line) {
                m.printk("domain " + d.id + ": " + line);
            }

            @Override
            public void report(int key, long value) {
                d.reports.add(key, value);
            }

            @Override
            public void memoryChanged(long bytes) {
                if (m.domains.get(d.id) != d || d.dying || bytes == d.memory.sizeBytes()) return;
                try {
                    d.memory.resize(bytes);
                } catch (RuntimeException e) {
                    m.printk("domain " + d.id + ": balloon at " + (bytes >> 20) + " MiB refused: " + e.getMessage());
                    return;
                }
                d.memoryMb = d.memory.sizeBytes() >> 20;
                m.printk("domain " + d.id + " (" + d.name + "): balloon now holds " + d.memoryMb + " MiB");
            }

            @Override
            public void shutdown(ShutdownReason reason, String detail) {
                if (m.domains.get(d.id) == d && !d.shutdown) shutdownDomain(d, reason, detail);
            }
        };
    }

    // ------------------------------------------------------------------ destroy, pause, shutdown

    void destroy(int domid) {
        Domain d = require(domid);
        if (d.isControlDomain()) throw new HypervisorException(EPERM, "Domain-0 cannot be destroyed");
        destroy(d);
        m.printk("domain " + domid + " (" + d.name + ") destroyed");
    }

    /** Tears down a domain that failed to be restored, with a line in the console ring. */
    void discard(Domain d) {
        if (m.domains.get(d.id) != d) return;
        destroy(d);
        m.printk("domain " + d.id + " (" + d.name + "): restore failed; destroyed");
    }

    private void destroy(Domain d) {
        d.dying = true;
        stopAll(d);
        Scheduler s = d.pool.scheduler;
        if (s != null) {
            for (Vcpu v : d.vcpus) {
                if (v.inserted) {
                    try {
                        s.removeVcpu(v);
                    } catch (RuntimeException | Error e) {
            HookGuard.rethrowIfAbandoned(e);
                        m.evict(d.pool, "remove_vcpu(" + v.label() + ") threw " + e);
                    }
                }
                v.inserted = false;
            }
            if (d.pool.scheduler == s) {
                try {
                    s.removeDomain(d);
                } catch (RuntimeException | Error e) {
            HookGuard.rethrowIfAbandoned(e);
                    m.evict(d.pool, "remove_domain(" + d.id + ") threw " + e);
                }
            }
        }
        d.pool.removeDomain(d);
        m.removeDomain(d);
        if (d.guest != null) d.guest.destroy();
        d.memory.close();
    }

    /** cpupool-numa-split: Domain-0 keeps only as many online vCPUs as its node has pCPUs. */
    void limitDom0Vcpus(int n) {
        Domain d0 = m.domains.get(0);
        for (Vcpu v : d0.vcpus) if (v.id >= Math.max(1, n)) m.hotplug.takeDown(v);
    }

    /** libxl_domain_rename: the new name must be free and addressable; renaming to the same name is a no-op. */
    void rename(int domid, String newName) {
        Domain d = require(domid);
        if (newName == null || newName.isEmpty()) throw new HypervisorException(EINVAL, "domain " + domid + ": the new name is empty");
        if (newName.equals(d.name)) return;
        String bad = DomainNames.problem(newName);
        if (bad != null) throw new HypervisorException(EINVAL, bad);
        if (m.hasDomainNamed(newName)) throw new HypervisorException(EINVAL, "domain with name \"" + newName + "\" already exists.");
        String old = d.name;
        m.renameDomain(d, newName);
        m.printk("domain " + domid + " renamed from " + old + " to " + newName);
    }

    void pause(int domid) {
        Domain d = require(domid);
        if (d.isControlDomain()) throw new HypervisorException(EPERM, "Domain-0 cannot be paused");
        if (d.paused) return;
        d.paused = true;
        stopAll(d);
    }

    /**
     * The domain stopped being runnable by a domain-level operation: tell the scheduler and take
     * its running vCPUs off their pCPUs now, as Xen's synchronous pause does, so that what the
     * toolstack shows next is already true.
     */
    private void stopAll(Domain d) {
        for (Vcpu v : d.vcpus) {
            m.runnableChanged(v);
            if (v.running) m.takeOffCpu(v.processor);
        }
    }

    void unpause(int domid) {
        Domain d = require(domid);
        if (!d.paused) return;
        d.paused = false;
        for (Vcpu v : d.vcpus) m.runnableChanged(v);
    }

    void shutdown(int domid, ShutdownReason reason) {
        Domain d = require(domid);
        if (d.isControlDomain()) throw new HypervisorException(EPERM, "Domain-0 cannot be shut down from hvkit");
        if (d.shutdown || d.dying) throw new HypervisorException(EINVAL, "domain " + domid + " is already shutting down");
        shutdownDomain(d, reason, "requested by the toolstack");
    }

    private void shutdownDomain(Domain d, ShutdownReason reason, String detail) {
        d.shutdown = true;
        d.shutdownReason = reason;
        stopAll(d);
        LifecycleAction action = switch (reason) {
            case POWEROFF, SUSPEND -> d.config.onPoweroff();
            case REBOOT -> d.config.onReboot();
            case CRASH -> d.config.onCrash();
            case WATCHDOG -> d.config.onWatchdog();
        };
        if (reason == ShutdownReason.SUSPEND) action = LifecycleAction.PRESERVE;
        m.printk("domain " + d.id + " (" + d.name + ") shutdown: " + reason.name().toLowerCase() + " (" + detail + "); on_"
                + reason.name().toLowerCase() + " action: " + action.xlName());
        switch (action) {
            case PRESERVE -> { }
            case DESTROY -> destroy(d);
            case COREDUMP_DESTROY -> {
                m.printk("domain " + d.id + ": core dumps are not supported on the " + m.platform().name() + " platform; destroying");
                destroy(d);
            }
            case RESTART, COREDUMP_RESTART -> {
                if (action == LifecycleAction.COREDUMP_RESTART) m.printk("domain " + d.id + ": core dumps are not supported on the " + m.platform().name() + " platform; restarting");
                destroy(d);
                restart(d.config);
            }
            case RENAME_RESTART -> {
                m.renameDomain(d, d.name + "--incarnation-" + d.id);
                restart(d.config);
            }
        }
    }

    private void restart(DomainConfig cfg) {
        try {
            Domain fresh = create(cfg);
            m.printk("domain " + fresh.id + " (" + fresh.name + ") restarted");
        } catch (HypervisorException e) {
            m.printk("restart of " + cfg.name() + " failed: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ affinity and parameters

    /** Sets the hard and soft affinity of one vCPU or all (-1); a null mask stays as it is. */
    void pin(int domid, int vcpu, CpuMask hard, CpuMask soft) {
        Domain d = require(domid);
        if (vcpu >= d.vcpus.length || vcpu < -1) throw new HypervisorException(EINVAL, "vcpu " + vcpu + " does not exist in domain " + domid + " (it has " + d.vcpus.length + ")");
        if (hard != null && !hard.intersects(d.pool.cpus)) {
            throw new HypervisorException(EINVAL, "cpus \"" + hard.toRangeList() + "\" has no cpu of cpupool " + d.pool.name + " (" + d.pool.cpus.toRangeList() + ")");
        }
        if (hard == null && soft == null) return;
        for (Vcpu v : d.vcpus) if (vcpu == -1 || v.id == vcpu) setAffinity(v, hard != null ? hard : v.hard, soft != null ? soft : v.soft);
    }

    /**
     * Xen's vcpu_set_affinity followed by vcpu_migrate: the vCPU ends up on an allowed pCPU. A soft
     * affinity outside the hard one is kept (Xen warns and uses the hard one alone).
     */
    private void setAffinity(Vcpu v, CpuMask hard, CpuMask soft) {
        v.hard = hard;
        v.soft = soft;
        Scheduler s = v.domain.pool.scheduler;
        if (s == null || !v.inserted) return;
        try {
            s.affinityChanged(v);
        } catch (RuntimeException | Error e) {
            HookGuard.rethrowIfAbandoned(e);
            m.evict(v.domain.pool, "adjust_affinity(" + v.label() + ") threw " + e);
            return;
        }
        if (v.running) {
            if (!hard.contains(v.processor)) m.platform().tickle(v.processor);
        } else if (!hard.contains(v.processor)) {
            m.migrate(v);
        }
    }

    void setSchedParams(int domid, Map<String, Long> params) {
        Domain d = require(domid);
        Scheduler s = d.pool.scheduler;
        if (s == null) throw new HypervisorException(HypervisorException.Errno.EAGAIN, "cpupool " + d.pool.name + " has no scheduler yet");
        for (String k : params.keySet()) {
            if (!d.pool.provider.defaultDomainParams().containsKey(k)) {
                throw new HypervisorException(EINVAL, "scheduler " + d.pool.provider.optName() + " has no domain parameter '" + k + "'");
            }
        }
        try {
            s.setDomainParams(d, params);
        } catch (IllegalArgumentException e) {
            throw new HypervisorException(EINVAL, e.getMessage(), e);
        }
        d.schedParams.putAll(s.getDomainParams(d));
    }

    Map<String, Long> schedParams(int domid) {
        Domain d = require(domid);
        Scheduler s = d.pool.scheduler;
        return s == null ? Map.copyOf(d.schedParams) : new TreeMap<>(s.getDomainParams(d));
    }

    private void insertDomain(CpuPool pool, Domain d) {
        Scheduler s = pool.scheduler;
        s.addDomain(d, Machine.domainParams(pool.provider, d));
        d.schedParams.putAll(s.getDomainParams(d));
        for (Vcpu v : d.vcpus) {
            if (!v.online) continue;
            s.insertVcpu(v);
            v.inserted = true;
        }
        for (Vcpu v : d.vcpus) m.runnableChanged(v);
    }
}
