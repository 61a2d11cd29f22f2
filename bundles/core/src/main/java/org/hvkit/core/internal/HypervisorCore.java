package org.hvkit.core.internal;

import org.hvkit.api.platform.StartupRefusal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.domain.RunState;
import org.hvkit.api.domain.ShutdownReason;
import org.hvkit.api.domain.VcpuInfo;
import org.hvkit.api.platform.MachineHost;
import org.hvkit.api.platform.Platform;
import org.hvkit.api.platform.VcpuPort;
import org.hvkit.api.sched.SchedulerProvider;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.toolstack.PhysInfo;
import org.hvkit.api.toolstack.PoolBounds;
import org.hvkit.api.toolstack.PoolInfo;
import org.hvkit.api.xsm.Caller;
import org.hvkit.api.xsm.Permission;
import org.hvkit.api.xsm.PolicyException;
import org.hvkit.api.xsm.SecurityModule;
import org.hvkit.api.xsm.Subject;
import org.hvkit.api.xsm.Xsm;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The hypervisor core as a service. It binds the one platform statically and scheduler plugins
 * dynamically (MULTIPLE + DYNAMIC + GREEDY), so scheduler bundles come and go without restarting it.
 *
 * <p>Framework properties: {@code hvkit.sched} (default scheduler, {@code credit}),
 * {@code hvkit.dom0.vcpus}, {@code hvkit.dom0.memory} (MiB).
 */
@Component(service = {Hypervisor.class, Xsm.class}, immediate = true)
public final class HypervisorCore implements Hypervisor, Xsm {
    private final Platform platform;
    private final CoreConfig config;
    private final List<SchedulerProvider> pending = new ArrayList<>();
    /** opt_names of every scheduler provider bound since start (a later swap-out must not refuse start-up). */
    private final java.util.Set<String> bound = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private BundleContext bc;
    /** Scheduler bundles start with the distribution; after this the named one is not in it. */
    static final long SCHED_WAIT_MS = 3_000;
    private Machine machine;
    private DomainOps ops;
    private SaveRestore saves;
    private Migration migration;
    private MemoryTargets memory;
    private PoolOps poolOps;
    private ToolstackCalls calls;
    /** XSM: every operation below checks the caller once before it changes anything. */
    private final XsmHooks xsm = new XsmHooks(() -> machine);

    @Activate
    public HypervisorCore(@Reference(name = "platform") Platform platform, BundleContext bc) {
        this(platform, configFrom(bc));
        this.bc = bc;
    }

    /** For use without a framework (tests, the simulation kit); call {@link #start()}. */
    public HypervisorCore(Platform platform, CoreConfig config) {
        this.platform = platform;
        this.config = config;
    }

    /** A bad setting stops start-up in one stderr line (not a DS stack trace); the core then stays off. */
    private static CoreConfig configFrom(BundleContext bc) {
        try {
            return CoreConfig.fromProperties(bc::getProperty);
        } catch (IllegalArgumentException e) {
            StartupRefusal.refuse(bc.getBundle(0)::stop, e.getMessage());
            return null;
        }
    }

    @Activate
    void activate() {
        if (config == null) return;
        start();
        // the named default scheduler must really be in the distribution: xl must never name one that is not running
        Thread.ofPlatform().daemon().name("hvkit-sched-check").start(() -> {
            long deadline = System.currentTimeMillis() + SCHED_WAIT_MS;
            while (!bound.contains(config.defaultScheduler()) && System.currentTimeMillis() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (!bound.contains(config.defaultScheduler()))
                StartupRefusal.refuse(bc.getBundle(0)::stop, "hvkit.sched=" + config.defaultScheduler() + ": no such scheduler in this distribution; expected one of "
                        + (bound.isEmpty() ? "(none installed)" : String.join(", ", new java.util.TreeSet<>(bound))));
        });
    }

    /** Boots: Pool-0 with every pCPU, the schedulers bound so far, Domain-0. */
    public void start() {
        synchronized (this) {
            machine = new Machine(platform, config);
            ops = new DomainOps(machine);
            saves = new SaveRestore(machine, ops);
            migration = new Migration(machine, ops, saves, this::call);
            memory = new MemoryTargets(machine);
            poolOps = new PoolOps(machine);
            calls = new ToolstackCalls(platform);
            machine.xsm = xsm;
            machine.abandonListener = t -> {
                calls.abandoned(t);
                ops.abandoned();
            };
        }
        platform.start(machine);
        machine.guard.start();
        call(() -> {
            machine.printk("hvkit core: platform " + platform.name() + ": " + platform.describe());
            machine.printk("hvkit core: default scheduler " + config.defaultScheduler());
            CpuPool pool0 = ops.createPool0();
            synchronized (this) {
                for (SchedulerProvider p : pending) machine.providerAdded(p);
                pending.clear();
            }
            if (pool0.scheduler == null) {
                machine.printk("cpupool Pool-0: scheduler '" + config.defaultScheduler() + "' is not installed yet; running the built-in round robin meanwhile");
                machine.switchTo(pool0, FallbackScheduler.PROVIDER, true);
            } else {
                machine.armWatchdog(pool0);
            }
            ops.createDomain0(pool0);
            return null;
        });
    }

    @Deactivate
    public void stop() {
        Machine m = machine;
        if (m != null) m.guard.close();
        platform.stop();
        if (calls != null) calls.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void addScheduler(SchedulerProvider p) {
        bound.add(p.optName());
        // on this (DS) thread, not inside a bounded hook: see PluginClassPreload
        PluginClassPreload.Result pre;
        try {
            pre = PluginClassPreload.of(p);
        } catch (RuntimeException e) {
            pre = null; // the bundle is going away; its classes load on first use, if ever
        }
        String preloaded = pre == null ? null : pre.line(p.optName());
        synchronized (this) {
            if (machine == null || ops == null || machine.pools.isEmpty()) {
                pending.add(p);
                return;
            }
        }
        run(() -> {
            if (preloaded != null) machine.printk(preloaded);
            machine.providerAdded(p);
        });
    }

    public void removeScheduler(SchedulerProvider p) {
        synchronized (this) {
            if (pending.remove(p) || machine == null) return;
        }
        run(() -> machine.providerRemoved(p));
    }

    /** The security module (a FLASK bundle); without one the built-in dummy decides. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void bindSecurityModule(SecurityModule sm) {
        xsm.bind(sm);
    }

    public void unbindSecurityModule(SecurityModule sm) {
        xsm.unbind(sm);
    }

    /** {@link #call} for work with no result. */
    private void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    /** Runs {@code task} in machine context; errors come out as {@link HypervisorException}. */
    private <T> T call(Callable<T> task) {
        Subject subject = Caller.current(); // the caller's, carried to the thread that runs the call
        try {
            return calls.call(() -> Caller.call(subject, task));
        } catch (HypervisorException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new HypervisorException(HypervisorException.Errno.EINVAL, String.valueOf(e.getMessage()), e);
        } catch (Exception e) {
            throw new HypervisorException(HypervisorException.Errno.EAGAIN, String.valueOf(e.getMessage()), e);
        }
    }

    // ------------------------------------------------------------------ for benchmarks and tests without a framework

    /** What the platform drives: {@code schedule(cpu)} is the schedule path. Call it in machine context only. */
    public MachineHost machineHost() {
        return machine;
    }

    /** The port through which the platform reports a vCPU's blocks and wake-ups. Call its methods in machine context only. */
    public VcpuPort vcpuPort(int domid, int vcpu) {
        Domain d = machine.domains.get(domid);
        if (d == null || vcpu < 0 || vcpu >= d.vcpus.length) throw new IllegalArgumentException("no vcpu " + domid + "." + vcpu);
        return d.vcpus[vcpu];
    }

    // ------------------------------------------------------------------ Hypervisor

    @Override
    public DomainInfo createDomain(DomainConfig config) {
        return call(() -> {
            int sid = xsm.labelFor(config);
            xsm.newDomain(Permission.DOMAIN_CREATE, sid, config);
            xsm.newDomain(Permission.DOMAIN_MAX_VCPUS, sid, config);
            xsm.newDomain(Permission.DOMAIN_SETDOMAINMAXMEM, sid, config);
            if (config.cpus() != null || config.vcpuCpus() != null || config.cpusSoft() != null) xsm.newDomain(Permission.DOMAIN_SETVCPUAFFINITY, sid, config);
            if (config.pool() != null) xsm.xen(Permission.XEN_CPUPOOL_OP);
            Domain d = ops.create(config);
            xsm.labelled(d, sid);
            return d.info(machine.now());
        });
    }

    @Override
    public void destroyDomain(int domid) {
        run(() -> {
            xsm.domain(Permission.DOMAIN_DESTROY, domid);
            ops.destroy(domid);
        });
    }

    @Override
    public void setVcpusOnline(int domid, int count) {
        run(() -> machine.hotplug.setOnline(ops.require(domid), count));
    }

    @Override
    public void renameDomain(int domid, String newName) {
        run(() -> ops.rename(domid, newName));
    }

    @Override
    public long[] freeMemoryPerNode() {
        return call(() -> NodeAlloc.free(platform.memory(), platform.topology().nrNodes()));
    }

    @Override
    public long[] domainMemoryPerNode(int domid) {
        return call(() -> {
            long[] held = ops.require(domid).memory.bytesPerNode();
            return java.util.Arrays.copyOf(held, Math.max(held.length, platform.topology().nrNodes()));
        });
    }

    @Override
    public long saveDomain(int domid, java.io.OutputStream out, boolean checkpoint) {
        return saveDomain(domid, null, out, checkpoint);
    }

    @Override
    public long saveDomain(int domid, DomainConfig replacement, java.io.OutputStream out, boolean checkpoint) {
        if (replacement != null) call(() -> saves.checkReplacement(domid, replacement)); // refused before the domain is paused
        boolean wasPaused = call(() -> saves.pause(domid));
        // a pCPU may still be handling the guest's last exit: wait (outside machine context) until it let go
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!call(() -> saves.quiescent(domid))) {
            if (System.nanoTime() > deadline) {
                run(() -> saves.unpauseIf(domid, wasPaused));
                throw new HypervisorException(HypervisorException.Errno.EAGAIN, "domain " + domid + " did not settle within 5 s after pausing; not saved");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
        SaveRestore.Snapshot snap = call(() -> saves.capture(domid, wasPaused, replacement));
        long n;
        try {
            n = SaveFile.write(out, snap.domainRecord(), snap.guestRecord());
        } catch (java.io.IOException | RuntimeException e) {
            run(() -> saves.resume(snap));
            throw new HypervisorException(HypervisorException.Errno.EINVAL, "Failed to save domain, resuming domain: " + e.getMessage(), e);
        }
        run(() -> saves.finish(snap, checkpoint));
        return n;
    }

    @Override
    public org.hvkit.api.toolstack.MigrationReport migrateSend(int domid, java.io.OutputStream out, java.util.function.Consumer<String> progress) {
        return migration.send(domid, null, out, progress);
    }

    @Override
    public org.hvkit.api.toolstack.MigrationReport migrateSend(int domid, DomainConfig replacement, java.io.OutputStream out, java.util.function.Consumer<String> progress) {
        return migration.send(domid, replacement, out, progress);
    }

    @Override
    public DomainInfo migrateReceive(java.io.InputStream in, String nameSuffix) {
        return migration.receive(in, nameSuffix);
    }

    @Override
    public DomainInfo restoreDomain(java.io.InputStream in, boolean paused) {
        return restoreDomain(in, paused, null);
    }

    @Override
    public DomainInfo restoreDomain(java.io.InputStream in, boolean paused, DomainConfig replacement) {
        int nrCpus = platform.topology().nrCpus();
        SaveImage[] img = new SaveImage[1];
        SaveFile.Records r;
        try {
            r = SaveFile.read(in, domainRecord -> {
                img[0] = SaveImage.decode(domainRecord, nrCpus);
                // a guest's state is its memory plus a little per vCPU: a bigger record is not one
                long ram = img[0].config().memoryMb() << 20;
                return ram + ram / 512 + (long) img[0].config().maxVcpus() * (64 << 10) + (1 << 20); // per-page headers, vCPU state
            });
        } catch (SaveFile.BadSaveFile e) {
            throw new HypervisorException(HypervisorException.Errno.EINVAL, e.getMessage(), e);
        }
        byte[] guest = r.guest();
        SaveImage image = img[0].withConfig(replacement);
        return call(() -> saves.restore(image, guest, paused).info(machine.now()));
    }

    @Override
    public void setMemoryTarget(int domid, long targetKb) {
        run(() -> memory.setTarget(ops.require(domid), targetKb));
    }

    @Override
    public void setMaxMemory(int domid, long maxKb) {
        run(() -> memory.setMax(ops.require(domid), maxKb));
    }

    @Override
    public void pauseDomain(int domid) {
        run(() -> {
            xsm.domain(Permission.DOMAIN_PAUSE, domid);
            ops.pause(domid);
        });
    }

    @Override
    public void unpauseDomain(int domid) {
        run(() -> {
            xsm.domain(Permission.DOMAIN_UNPAUSE, domid);
            ops.unpause(domid);
        });
    }

    @Override
    public void shutdownDomain(int domid, ShutdownReason reason) {
        run(() -> {
            xsm.domain(Permission.DOMAIN_SHUTDOWN, domid);
            ops.shutdown(domid, reason);
        });
    }

    @Override
    public List<DomainInfo> listDomains() {
        return call(() -> {
            long now = machine.now();
            // as Xen's getdomaininfolist: a domain the caller may not see is left out
            return machine.domains.values().stream().filter(d -> xsm.allowed(Permission.DOMAIN_GETDOMAININFO, d)).map(d -> d.info(now)).toList();
        });
    }

    @Override
    public Optional<DomainInfo> domain(int domid) {
        return call(() -> Optional.ofNullable(machine.domains.get(domid)).filter(d -> xsm.allowed(Permission.DOMAIN_GETDOMAININFO, d))
                .map(d -> d.info(machine.now())));
    }

    @Override
    public Optional<DomainInfo> findDomain(String nameOrId) {
        return call(() -> {
            long now = machine.now();
            Domain found = null;
            for (Domain d : machine.domains.values()) if (d.name.equals(nameOrId)) { found = d; break; }
            if (found == null && nameOrId.matches("\\d{1,9}")) found = machine.domains.get(Integer.parseInt(nameOrId));
            return Optional.ofNullable(found).filter(d -> xsm.allowed(Permission.DOMAIN_GETDOMAININFO, d)).map(d -> d.info(now));
        });
    }

    @Override
    public org.hvkit.api.toolstack.ConsoleChunk guestConsole(int domid, long offset) {
        return call(() -> {
            Domain d = ops.require(domid);
            xsm.domain(Permission.MMU_MAP_READ, d); // xenconsoled maps the guest's console page
            return d.console.read(offset, !d.shutdown && !d.dying);
        });
    }

    @Override
    public List<org.hvkit.api.toolstack.GuestReport> guestReports(int domid) {
        return call(() -> {
            Domain d = ops.require(domid);
            xsm.domain(Permission.DOMAIN_GETDOMAININFO, d);
            return d.reports.snapshot();
        });
    }

    @Override
    public org.hvkit.api.p2m.P2m p2m(int domid) {
        org.hvkit.api.p2m.P2m p = call(() -> {
            Domain d = ops.require(domid);
            return d.memory == null ? null : d.memory.p2m();
        });
        if (p == null) throw new HypervisorException(HypervisorException.Errno.ENODEV, "the " + machine.platform().name() + " platform keeps no p2m for domain " + domid);
        return p;
    }

    @Override
    public List<VcpuInfo> vcpus(int domid) {
        return call(() -> {
            Domain d = ops.require(domid);
            xsm.domain(Permission.DOMAIN_GETVCPUINFO, d);
            long now = machine.now();
            List<VcpuInfo> out = new ArrayList<>();
            for (Vcpu v : d.vcpus) {
                out.add(new VcpuInfo(d.id, d.name, v.id, v.online, v.processor, v.state(), d.paused,
                        v.timeIn(RunState.RUNNING, now), v.hard, v.soft));
            }
            return out;
        });
    }

    @Override
    public void pinVcpu(int domid, int vcpu, CpuMask hard) {
        run(() -> {
            xsm.domain(Permission.DOMAIN_SETVCPUAFFINITY, domid);
            ops.pin(domid, vcpu, java.util.Objects.requireNonNull(hard, "hard"), null);
        });
    }

    @Override
    public void pinVcpu(int domid, int vcpu, CpuMask hard, CpuMask soft) {
        run(() -> {
            xsm.domain(Permission.DOMAIN_SETVCPUAFFINITY, domid);
            ops.pin(domid, vcpu, hard, soft);
        });
    }

    @Override
    public Map<String, Long> domainSchedParams(int domid) {
        return call(() -> {
            xsm.domain(Permission.DOMAIN_SCHEDULER, domid);
            return ops.schedParams(domid);
        });
    }

    @Override
    public void setDomainSchedParams(int domid, Map<String, Long> params) {
        run(() -> {
            xsm.domain(Permission.DOMAIN_SCHEDULER, domid);
            ops.setSchedParams(domid, params);
        });
    }

    @Override
    public List<PoolInfo> pools() {
        return call(() -> {
            xsm.xen(Permission.XEN_CPUPOOL_OP);
            return machine.pools.values().stream().map(HypervisorCore::poolInfo).toList();
        });
    }

    private static PoolInfo poolInfo(CpuPool p) {
        return new PoolInfo(p.id, p.name, p.provider != null ? p.provider.optName() : p.schedulerName, p.cpus, p.domains.size());
    }

    @Override
    public Optional<PoolInfo> findPool(String nameOrId) {
        return call(() -> {
            xsm.xen(Permission.XEN_CPUPOOL_OP);
            for (CpuPool p : machine.pools.values()) if (p.name.equals(nameOrId)) return Optional.of(poolInfo(p));
            if (nameOrId.matches("\\d{1,9}")) {
                CpuPool p = machine.pools.get(Integer.parseInt(nameOrId));
                if (p != null) return Optional.of(poolInfo(p));
            }
            return Optional.empty();
        });
    }

    private CpuPool requirePool(int poolId) {
        return poolOps.require(poolId);
    }

    @Override
    public PoolInfo createPool(String name, String scheduler, CpuMask cpus) {
        return call(() -> {
            xsm.xen(Permission.XEN_CPUPOOL_OP);
            return poolInfo(poolOps.create(name, scheduler, cpus));
        });
    }

    @Override
    public void destroyPool(int poolId) {
        run(() -> {
            xsm.xen(Permission.XEN_CPUPOOL_OP);
            poolOps.destroy(poolId);
        });
    }

    @Override
    public void renamePool(int poolId, String newName) {
        run(() -> {
            xsm.xen(Permission.XEN_CPUPOOL_OP);
            poolOps.rename(poolId, newName);
        });
    }

    @Override
    public void addPoolCpus(int poolId, CpuMask cpus) {
        run(() -> {
            xsm.xen(Permission.XEN_CPUPOOL_OP);
            poolOps.addCpus(poolId, cpus);
        });
    }

    @Override
    public void removePoolCpus(int poolId, CpuMask cpus) {
        run(() -> {
            xsm.xen(Permission.XEN_CPUPOOL_OP);
            poolOps.removeCpus(poolId, cpus);
        });
    }

    @Override
    public void migrateDomain(int domid, int poolId) {
        run(() -> {
            xsm.xen(Permission.XEN_CPUPOOL_OP);
            poolOps.migrateDomain(ops.require(domid), poolId);
        });
    }

    @Override
    public List<PoolInfo> numaSplit() {
        return call(() -> {
            xsm.xen(Permission.XEN_CPUPOOL_OP);
            return poolOps.numaSplit(ops).stream().map(HypervisorCore::poolInfo).toList();
        });
    }

    @Override
    public CpuMask freeCpus() {
        return call(() -> {
            xsm.xen(Permission.XEN_CPUPOOL_OP);
            return poolOps.freeCpus();
        });
    }

    @Override
    public long switchScheduler(int poolId, String scheduler) {
        return call(() -> {
            xsm.xen(Permission.XEN_SCHED_OP);
            CpuPool p = requirePool(poolId);
            SchedulerProvider prov = machine.providers.get(scheduler);
            if (prov == null && FallbackScheduler.NAME.equals(scheduler)) prov = FallbackScheduler.PROVIDER;
            if (prov == null) {
                throw new HypervisorException(HypervisorException.Errno.EINVAL, "Unknown scheduler \"" + scheduler + "\" (available: "
                        + String.join(", ", machine.providers.keySet()) + ")");
            }
            p.schedulerName = prov.optName();
            return machine.switchTo(p, prov, true);
        });
    }

    @Override
    public void forceFallback(int poolId, String reason) {
        call(() -> {
            xsm.xen(Permission.XEN_SCHED_OP);
            CpuPool p = requirePool(poolId);
            machine.evict(p, "forced by the operator" + (reason == null || reason.isBlank() ? "" : ": " + reason));
            return null;
        });
    }

    @Override
    public long watchdogNs(int poolId) {
        return call(() -> {
            xsm.xen(Permission.XEN_SCHED_OP);
            return requirePool(poolId).watchdogNs;
        });
    }

    @Override
    public void setWatchdogNs(int poolId, long boundNs) {
        call(() -> {
            xsm.xen(Permission.XEN_SCHED_OP);
            if (boundNs < 0) throw new HypervisorException(HypervisorException.Errno.EINVAL, "watchdog bound must be >= 0 (0 = off), not " + boundNs);
            CpuPool p = requirePool(poolId);

            p.watchdogNs = boundNs;
            machine.armWatchdog(p);
            return null;
        });
    }

    @Override
    public PoolBounds bounds(int poolId) {
        return call(() -> {
            xsm.xen(Permission.XEN_SCHED_OP);
            CpuPool p = requirePool(poolId);
            return new PoolBounds(p.watchdogNs, p.hookBoundNs, p.allocBoundBytes, p.rateBound);
        });
    }

    @Override
    public void setBounds(int poolId, PoolBounds b) {
        call(() -> {
            xsm.xen(Permission.XEN_SCHED_OP);
            CpuPool p = requirePool(poolId);
            p.hookBoundNs = b.hookNs();
            p.allocBoundBytes = b.allocBytes();
            p.rateBound = b.ratePerCpuMs();
            p.rateLimit = 0;
            if (p.watchdogNs != b.stallNs()) {
                p.watchdogNs = b.stallNs();
                machine.armWatchdog(p);
            }
            return null;
        });
    }

    @Override
    public Map<String, Long> poolSchedParams(int poolId) {
        return call(() -> {
            xsm.xen(Permission.XEN_SCHED_OP);
            CpuPool p = requirePool(poolId);
            return p.scheduler == null ? Map.copyOf(p.params) : new TreeMap<>(p.scheduler.getPoolParams());
        });
    }

    @Override
    public void setPoolSchedParams(int poolId, Map<String, Long> params) {
        call(() -> {
            xsm.xen(Permission.XEN_SCHED_OP);
            CpuPool p = requirePool(poolId);
            if (p.scheduler == null) throw new HypervisorException(HypervisorException.Errno.EAGAIN, "cpupool " + p.name + " has no scheduler yet");
            try {
                p.scheduler.setPoolParams(params);
            } catch (IllegalArgumentException e) {
                throw new HypervisorException(HypervisorException.Errno.EINVAL, e.getMessage(), e);
            }
            p.params.putAll(p.scheduler.getPoolParams());
            return null;
        });
    }

    @Override
    public List<String> schedulers() {
        return call(() -> {
            xsm.xen(Permission.XEN_SCHEDULER);
            return machine.providers.keySet().stream().sorted().toList();
        });
    }

    @Override
    public PhysInfo physInfo() {
        return call(() -> {
            xsm.xen(Permission.XEN_PHYSINFO);
            var topo = platform.topology();
            CpuMask inPools = CpuMask.EMPTY;
            for (CpuPool p : machine.pools.values()) inPools = inPools.or(p.cpus);
            var model = platform.cpuModel();
            return new PhysInfo(platform.name(), platform.describe(), topo, model.mhz(), model.hwCaps(),
                    virtCaps(platform.name(), model), topo.totalMemoryBytes() >> 20,
                    platform.memory().freeBytes() >> 20, topo.nrCpus() - inPools.cardinality(), config.defaultScheduler());
        });
    }

    /** Xen's virt_caps: {@code hvm} when the machine can run hardware-virtualised guests. */
    private static String virtCaps(String platform, org.hvkit.api.cpu.CpuModel model) {
        return platform.equals("kvm") || model.features().contains("vmx") || model.features().contains("svm") ? "hvm" : "";
    }

    @Override
    public List<String> readConsole(boolean clear) {
        run(() -> {
            xsm.xen(Permission.XEN_READCONSOLE);
            if (clear) xsm.xen(Permission.XEN_CLEARCONSOLE);
        });
        return machine.console.read(clear);
    }

    @Override
    public void printk(String line) {
        run(() -> xsm.xen(Permission.XEN_WRITECONSOLE));
        machine.printk(line);
    }

    @Override
    public long now() {
        return platform.timers().now();
    }

    @Override
    public List<String> dumpSchedulers() {
        return call(() -> {
            xsm.xen(Permission.XEN_DEBUG);
            return machine.dumpSchedulers();
        });
    }

    // ------------------------------------------------------------------ Xsm

    @Override
    public Mode mode() {
        return xsm.mode();
    }

    @Override
    public String moduleName() {
        return xsm.moduleName();
    }

    @Override
    public void setEnforcing(boolean enforcing) {
        run(() -> xsm.setEnforcing(enforcing));
    }

    @Override
    public void loadPolicy(String source, String text) throws PolicyException {
        SecurityModule sm = call(xsm::checkLoad);
        sm.loadPolicy(source, text); // parsed outside machine context; the module swaps it in at once
        run(() -> xsm.loaded(source));
    }

    @Override
    public Optional<String> domainContext(int domid) {
        return call(() -> Optional.ofNullable(machine.domains.get(domid)).flatMap(xsm::context));
    }

    @Override
    public void checkDomain(Permission permission, int domid) {
        run(() -> xsm.domain(permission, domid));
    }

    @Override
    public Optional<Subject> admit(String user, java.util.Set<String> groups) {
        return xsm.admit(user, groups);
    }
}
