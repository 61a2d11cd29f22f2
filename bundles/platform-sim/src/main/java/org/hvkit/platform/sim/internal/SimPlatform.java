package org.hvkit.platform.sim.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.hvkit.api.platform.MachineLock;
import org.hvkit.api.cpu.CpuModel;
import org.hvkit.api.memaccess.AccessEnforcement;
import org.hvkit.api.memaccess.AccessPlatform;
import org.hvkit.api.memaccess.ViolationHandler;
import org.hvkit.api.memory.HostMemory;
import org.hvkit.api.p2m.P2mTable;
import org.hvkit.api.platform.Dispatch;
import org.hvkit.api.platform.Guest;
import org.hvkit.api.platform.GuestSpec;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.platform.MachineHost;
import org.hvkit.api.platform.Platform;
import org.hvkit.api.timer.TimerFactory;
import org.hvkit.api.timer.TimerService;
import org.hvkit.api.timer.VirtualTimers;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The simulated machine. Machine context is holding {@link #lock}: the driver thread holds it
 * while it fires events, and {@link #call} takes it, so toolstack commands interleave with events
 * between two events, never inside one.
 *
 * <p>Enabled by {@link SimPlatformSelector} when {@code hvkit.platform} asks for it.
 */
@Component(service = {Platform.class, AccessPlatform.class, org.hvkit.api.pci.PciPlatform.class, org.hvkit.api.iommu.DmaPlatform.class},
        property = Platform.NAME_PROPERTY + "=sim", enabled = false)
public final class SimPlatform implements Platform, AccessPlatform, org.hvkit.api.pci.PciPlatform, org.hvkit.api.iommu.DmaPlatform {
    /** Events fired per lock hold in the free-running modes, so commands get in between. */
    private static final int BATCH = 4096;

    private final SimConfig config;
    private final HostTopology topology;
    /** Every event of the machine (slice ends, softirqs, workload phases, hypervisor timers) is a timer here. */
    private final VirtualTimers events;
    private final MachineLock lock = new MachineLock();
    private final SimPcpu[] pcpus;
    private final SimMemory memory;
    /** CPU models offered by model bundles (hw-cpu-intel), by name; the simulated host uses {@link #cpuModelName}. */
    private final java.util.Map<String, CpuModel> models = new java.util.concurrent.ConcurrentHashMap<>();
    private final String cpuModelName;
    private final CpuModel builtinModel = new SimCpuModel();
    private MachineHost host;
    private volatile Thread driver;
    private volatile boolean stopping;
    /** Paced mode: wall time and virtual time at the moment pacing started. */
    private long wallOrigin, virtOrigin;

    @Activate
    public SimPlatform(BundleContext bc, @Reference TimerFactory timers) {
        this(SimConfig.fromProperties(bc::getProperty), bc.getProperty("hvkit.sim.cpu"), timers);
    }

    public SimPlatform(SimConfig config, TimerFactory timers) {
        this(config, null, timers);
    }

    /**
     * @param cpuModelName the CPU model of the simulated host, looked up among the CpuModel services
     *                     ({@code hvkit.sim.cpu}, default SandyBridge); the built-in Sandy Bridge
     *                     stands in while no model bundle offers it
     */
    private static long[] nodeBytes(org.hvkit.api.platform.HostTopology t) {
        long[] b = new long[t.nrNodes()];
        for (int n = 0; n < b.length; n++) b[n] = t.nodeMemoryBytes(n);
        return b;
    }

    public SimPlatform(SimConfig config, String cpuModelName, TimerFactory timers) {
        this.events = timers.virtual();
        this.cpuModelName = cpuModelName == null || cpuModelName.isBlank() ? "SandyBridge" : cpuModelName.strip();
        this.config = config;
        this.topology = config.topology();
        this.memory = new SimMemory(nodeBytes(topology));
        this.pcpus = new SimPcpu[topology.nrCpus()];
        for (int i = 0; i < pcpus.length; i++) pcpus[i] = new SimPcpu(i, this, events);
    }

    public SimConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public String describe() {
        String mode = switch (config.mode()) {
            case PACED -> "paced at " + config.speed() + "x the wall clock";
            case FAST -> "free-running";
            case MANUAL -> "stepped by its caller";
        };
        return "simulated machine, " + topology + ", " + cpuModel().name() + ", " + mode + ", seed " + config.seed();
    }

    @Override
    public HostTopology topology() {
        return topology;
    }

    @Override
    public TimerService timers() {
        return events;
    }

    @Override
    public HostMemory memory() {
        return memory;
    }

    @Override
    public CpuModel cpuModel() {
        return models.getOrDefault(cpuModelName, builtinModel);
    }

    @org.osgi.service.component.annotations.Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    void addCpuModel(CpuModel m) {
        models.put(m.name(), m);
    }

    void removeCpuModel(CpuModel m) {
        models.remove(m.name(), m);
    }

    // ------------------------------------------------------------------ machine context

    @Override
    public <T> T call(Callable<T> task) throws Exception {
        if (lock.isHeldByCurrentThread()) return task.call();
        lock.lock();
        try {
            if (config.mode() == SimConfig.Mode.PACED && driver != null) catchUp();
            return task.call();
        } finally {
            lock.unlock();
            Thread d = driver;
            if (d != null) LockSupport.unpark(d);
        }
    }

    @Override
    public MachineLock machineLock() {
        return lock;
    }

    /** The event loop was abandoned inside a scheduler hook: a new one drives the machine. Machine context. */
    @Override
    public void abandoned(Thread t) {
        if (t != driver || stopping) return;
        Thread d = Thread.ofPlatform().name("hvkit-sim").daemon().unstarted(this::drive);
        driver = d;
        d.start();
        System.getLogger(SimPlatform.class.getName()).log(System.Logger.Level.WARNING,
                "event loop " + t.getName() + " abandoned in a scheduler hook; a new one drives the machine");
    }

    @Override
    public void tickle(int cpu) {
        SimPcpu p = pcpus[cpu];
        if (!p.softirq.isActive()) p.softirq.set(events.now());
    }

    @Override
    public Guest createGuest(GuestSpec spec) {
        String text = spec.options().getOrDefault("workload", "cpu");
        Workload w = Workload.parse(text);
        long size = spec.memory().sizeBytes();
        for (Workload.Phase p : w.phases()) {
            if (p.touch() != null && p.touch().last() >= size) {
                throw new IllegalArgumentException("workload \"" + text + "\": touch range 0x" + Long.toHexString(p.touch().first()) + "-0x" + Long.toHexString(p.touch().last())
                        + " goes beyond the domain's " + (size >> 20) + " MiB");
            }
        }
        P2mTable p2m = spec.memory().p2m() instanceof P2mTable t ? t : new P2mTable(spec.domainId(), Math.max(1, (size + 4095) >>> 12));
        SimGuest g = new SimGuest(spec.domainId(), p2m, spec.events(), this);
        SimVcpu[] vcpus = new SimVcpu[spec.vcpus().size()];
        for (int i = 0; i < vcpus.length; i++) {
            vcpus[i] = new SimVcpu(spec.vcpus().get(i), w, vcpuSeed(spec.domainId(), i), events, g);
        }
        g.vcpus = vcpus;
        guests.put(spec.domainId(), g);
        return g;
    }

    // ------------------------------------------------------------------ memory access (AccessPlatform)

    /** Live guests by domain id, for {@link #attach}. Machine context writes it. */
    private final java.util.Map<Integer, SimGuest> guests = new java.util.concurrent.ConcurrentHashMap<>();

    void forget(SimGuest g) {
        guests.remove(g.domid, g);
    }

    @Override
    public AccessEnforcement attach(int domid, ViolationHandler handler) {
        try {
            return call(() -> {
                SimGuest g = guests.get(domid);
                if (g == null || g.destroyed()) throw new IllegalArgumentException("the simulated machine runs no domain " + domid);
                if (g.handler != null) throw new IllegalStateException("domain " + domid + " already has a violation handler");
                g.handler = handler;
                return new SimEnforcement(this, g, handler);
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ device assignment (PciPlatform, DmaPlatform)

    private SimGuest live(int domid) {
        SimGuest g = guests.get(domid);
        if (g == null || g.destroyed()) throw new IllegalArgumentException("the simulated machine runs no domain " + domid);
        return g;
    }

    /** The domain's memory bytes, what its devices' DMA reaches once the IOMMU translated it. */
    @Override
    public org.hvkit.api.iommu.DmaTarget target(int domid) {
        return live(domid).ram;
    }

    /** Its DMA workload phases drive the device from now on. */
    @Override
    public void plug(int domid, org.hvkit.api.pci.PciDevice device) {
        SimGuest g = live(domid);
        synchronized (g.devices) {
            if (g.devices.stream().anyMatch(d -> d.address().equals(device.address()))) {
                throw new IllegalStateException("domain " + domid + " already has a device at " + device.address());
            }
            g.devices.add(device);
        }
    }

    @Override
    public void unplug(int domid, org.hvkit.api.pci.PciAddress address) {
        SimGuest g = guests.get(domid);
        if (g != null) g.devices.removeIf(d -> d.address().equals(address));
    }

    /** Runs {@code r} in machine context: at once when the caller is in it, else waiting for it. */
    void inMachine(Runnable r) {
        try {
            call(() -> {
                r.run();
                return null;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Charges {@code v} for what it ran on a pCPU up to {@code now} (xl save takes its state before the pCPU reschedules). */
    void settle(SimVcpu v, long now) {
        for (SimPcpu p : pcpus) {
            if (p.running == v) {
                v.consume(now - p.runStart);
                p.runStart = now;
            }
        }
    }

    /** A seed for one vCPU's draws, mixed from the machine's seed and the vCPU's identity. */
    private long vcpuSeed(int domid, int vcpu) {
        long z = config.seed() * 0x9E3779B97F4A7C15L + domid * 0xBF58476D1CE4E5B9L + vcpu * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A pCPU's slice ended or it was tickled: account what it ran and ask the core what next. */
    void reschedule(SimPcpu p, long now) {
        SimVcpu v = p.running;
        if (v != null) {
            v.consume(now - p.runStart);
            p.running = null;
            v.afterRun(now);
        }
        // this call satisfies every tickle raised so far; tickles raised inside it arm a new one
        p.softirq.stop();
        Dispatch d = host.schedule(p.id);
        SimVcpu next = (SimVcpu) d.vcpu();
        p.running = next;
        p.runStart = now;
        long stopAt = d.until();
        if (next != null) {
            long rem = next.remainingRun();
            if (rem != Long.MAX_VALUE && now + rem < stopAt) stopAt = now + rem;
        }
        if (stopAt == Long.MAX_VALUE) p.stop.stop();
        else p.stop.set(stopAt);
    }

    // ------------------------------------------------------------------ driving

    @Override
    public void start(MachineHost host) {
        lock.lock();
        try {
            this.host = host;
            for (SimPcpu p : pcpus) tickle(p.id);
        } finally {
            lock.unlock();
        }
        if (config.mode() == SimConfig.Mode.MANUAL) return;
        wallOrigin = System.nanoTime();
        virtOrigin = events.now();
        Thread d = Thread.ofPlatform().name("hvkit-sim").daemon().unstarted(this::drive);
        driver = d;
        d.start();
    }

    @Override
    @Deactivate
    public void stop() {
        stopping = true;
        Thread d = driver;
        if (d != null) {
            LockSupport.unpark(d);
            try {
                d.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        driver = null;
    }

    private long wallToVirtual(long wall) {
        return virtOrigin + (long) ((wall - wallOrigin) * config.speed());
    }

    private long virtualToWall(long virt) {
        return wallOrigin + (long) ((virt - virtOrigin) / config.speed());
    }

    /** Paced mode: fires every event due by the wall clock and moves virtual time to it. */
    private void catchUp() {
        long target = wallToVirtual(System.nanoTime());
        while (events.fireNext(target)) {
            // fire everything that is due
        }
        events.advanceTo(target);
    }

    /** Errors the machine thread caught (each logged); the machine keeps running after one. */
    private final java.util.concurrent.atomic.AtomicLong machineErrors = new java.util.concurrent.atomic.AtomicLong();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SimPlatform.class);

    /** How many errors (incl. OutOfMemoryError) the machine thread caught and logged since boot. */
    public long machineErrors() {
        return machineErrors.get();
    }

    private void drive() {
        while (!stopping && driver == Thread.currentThread()) {
            try {
                driveOnce();
            } catch (MachineLock.Abandoned e) {
                return; // a hook overran its bound in this thread; a new driver took over
            } catch (RuntimeException | Error e) { // never a silent death: the host would be gone while xl still answers
                machineErrors.incrementAndGet();
                LOG.error("simulated machine: error in the machine thread; continuing in 100 ms", e);
                MachineHost h = host;
                // the operator's view too: xl dmesg names the thread and the error
                if (h != null) h.log("machine thread " + Thread.currentThread().getName() + ": " + e + "; the machine continues in 100 ms");
                LockSupport.parkNanos(100_000_000L);
            }
        }
    }

    private void driveOnce() {
        {
            long next;
            lock.lock();
            try {
                if (config.mode() == SimConfig.Mode.PACED) {
                    long target = wallToVirtual(System.nanoTime());
                    int n = 0;
                    while (n++ < BATCH && events.fireNext(target)) {
                        // bounded batch, then let commands in
                    }
                    if (n <= BATCH) events.advanceTo(target);
                } else {
                    int n = 0;
                    while (n++ < BATCH && events.fireNext(Long.MAX_VALUE)) {
                        // free-running
                    }
                }
                next = events.nextDeadline();
            } finally {
                lock.unlock();
            }
            if (config.mode() == SimConfig.Mode.PACED) {
                long wait = next == Long.MAX_VALUE ? 50_000_000L : virtualToWall(next) - System.nanoTime();
                if (wait > 0) LockSupport.parkNanos(Math.min(wait, 50_000_000L));
            } else if (next == Long.MAX_VALUE) {
                LockSupport.parkNanos(50_000_000L);
            }
        }
    }

    /** Manual mode: fires every event up to {@code untilNs} and leaves the clock there. */
    public void advance(long untilNs) {
        lock.lock();
        try {
            while (events.fireNext(untilNs)) {
                // fire everything up to the target
            }
            events.advanceTo(untilNs);
        } finally {
            lock.unlock();
        }
    }

    /** Events fired since boot (a figure for benchmarks). */
    public long eventsFired() {
        return events.fired();
    }
}
