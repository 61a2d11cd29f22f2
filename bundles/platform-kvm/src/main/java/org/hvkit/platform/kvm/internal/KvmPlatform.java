package org.hvkit.platform.kvm.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.hvkit.api.platform.MachineLock;
import org.hvkit.api.cpu.CpuModel;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.memory.HostMemory;
import org.hvkit.api.platform.Guest;
import org.hvkit.api.platform.GuestSpec;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.platform.MachineHost;
import org.hvkit.api.platform.Platform;
import org.hvkit.api.timer.MonotonicTimers;
import org.hvkit.api.timer.TimerFactory;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The real machine: guests are KVM VMs, pCPUs are {@link Carrier} threads pinned to host CPUs,
 * and hvkit's own schedulers decide what each carrier runs.
 *
 * <p><b>Machine context</b> is holding {@link #lock}: carriers hold it while they call
 * {@link MachineHost#schedule} and handle exits (never inside {@code KVM_RUN}), the timer thread
 * while it fires timers, and {@link #call} takes it.
 *
 * <p>Framework properties: {@code hvkit.kvm.cpus} (host CPUs to use as pCPUs, a CPU list such as
 * {@code 0-3,6}; default all CPUs this process may run on), {@code hvkit.kvm.memory} (MiB of host
 * memory for guests, default the host's RAM), {@code hvkit.kvm.cpuid.verbose} (true: each CPUID
 * warning of a domain in xl dmesg; default false, one summary line). Enabled by {@link KvmPlatformSelector}.
 */
@Component(service = {Platform.class, org.hvkit.api.memaccess.AccessPlatform.class, org.hvkit.api.pci.PciPlatform.class, org.hvkit.api.iommu.DmaPlatform.class},
        property = {Platform.NAME_PROPERTY + "=kvm", "service.ranking:Integer=10"}, enabled = false)
public final class KvmPlatform implements Platform, org.hvkit.api.memaccess.AccessPlatform, org.hvkit.api.pci.PciPlatform, org.hvkit.api.iommu.DmaPlatform {
    /** The kick signal: a real-time signal HotSpot does not use (SIGRTMIN+8 in kernel numbering). */
    static final int KICK_SIGNAL = 40;

    private final MachineLock lock = new MachineLock();
    private final Kvm kvm;
    /** The hypervisor's timers, from the timer bundle; fired holding {@link #lock}. */
    private final MonotonicTimers timers;
    /** {@link System#nanoTime} when {@code timers.now()} was 0: carriers arm CLOCK_MONOTONIC timers in absolute time. */
    private final long clockOrigin;
    private final KvmHostMemory memory;
    private final HostTopology topology;
    private final KvmCpuModel cpuModel;
    private final int[] hostCpus;
    private final Carrier[] carriers;
    private final int pid = Native.getpid();
    private final long runSignalMask;
    private final Map<Integer, KvmGuest> guests = new ConcurrentHashMap<>();
    private volatile MachineHost host;
    private volatile boolean started, stopped;

    @Activate
    public KvmPlatform(BundleContext bc, @Reference TimerFactory timers) {
        this(bc.getProperty("hvkit.kvm.cpus"), bc.getProperty("hvkit.kvm.memory"), timers);
        cpuidVerbose = GuestCpuid.verbose(bc.getProperty(GuestCpuid.VERBOSE_PROPERTY));
    }

    /** Every CPUID warning of a domain in xl dmesg, not one summary line ({@code hvkit.kvm.cpuid.verbose}). */
    private volatile boolean cpuidVerbose;

    boolean cpuidVerbose() {
        return cpuidVerbose;
    }

    /** For tests: as {@code -Dhvkit.kvm.cpuid.verbose}. */
    void setCpuidVerbose(boolean v) {
        cpuidVerbose = v;
    }

    /**
     * @param cpus     host CPU list for the pCPUs, or null for every CPU this process may use
     * @param memoryMb MiB of host memory for guests, or null for the host's RAM
     * @param timerFactory the timer bundle's factory
     */
    public KvmPlatform(String cpus, String memoryMb, TimerFactory timerFactory) {
        BitSet allowed = Native.allowedCpus();
        BitSet use;
        if (cpus == null || cpus.isBlank()) {
            use = allowed;
        } else {
            CpuMask m = CpuMask.parse(cpus.strip(), Math.max(allowed.length(), 1), n -> null);
            use = new BitSet();
            for (int c = m.first(); c >= 0; c = m.nextSetBit(c + 1)) use.set(c);
            BitSet bad = (BitSet) use.clone();
            bad.andNot(allowed);
            if (!bad.isEmpty()) throw new IllegalArgumentException("hvkit.kvm.cpus=" + cpus + ": host cpus " + bad + " are not available to this process");
        }
        if (use.isEmpty()) throw new IllegalArgumentException("hvkit.kvm.cpus: no host CPU to use");
        hostCpus = use.stream().toArray();
        long mem = memoryMb == null || memoryMb.isBlank() ? KvmHostMemory.hostRam() : Long.parseLong(memoryMb.strip()) << 20;
        kvm = new Kvm();
        timers = timerFactory.monotonic("hvkit-kvm-timers", lock);
        clockOrigin = System.nanoTime() - timers.now();
        memory = new KvmHostMemory(mem);
        topology = HostTopology.of(1, hostCpus.length, 1, 1, mem);
        cpuModel = KvmCpuModel.read(kvm);
        carriers = new Carrier[hostCpus.length];
        for (int i = 0; i < carriers.length; i++) carriers[i] = new Carrier(this, i, hostCpus[i]);
        // the mask KVM_RUN runs with: this thread's, minus the kick signal (carriers inherit the same mask)
        runSignalMask = Native.blockSignal(KICK_SIGNAL);
        unblockKickHere();
    }

    /** The constructor blocked the kick signal in the calling thread to read its mask; undo that. */
    private static void unblockKickHere() {
        Native.unblockSignal(KICK_SIGNAL);
    }

    @Override
    public String name() {
        return "kvm";
    }

    @Override
    public String describe() {
        return "KVM" + (Kvm.isPvm() ? " (PVM: no VT-x/SVM, supervisor-mode guest code is emulated)" : "") + ", " + topology
                + ", pCPUs on host cpus " + java.util.Arrays.toString(hostCpus);
    }

    @Override
    public HostTopology topology() {
        return topology;
    }

    @Override
    public MonotonicTimers timers() {
        return timers;
    }

    long clockOrigin() {
        return clockOrigin;
    }

    @Override
    public HostMemory memory() {
        return memory;
    }

    KvmHostMemory hostMemory() {
        return memory;
    }

    private volatile org.hvkit.api.cpu.CpuidPolicy cpuidPolicy;
    private final java.util.Map<String, CpuModel> models = new java.util.concurrent.ConcurrentHashMap<>();

    /** The CPU-model bundle's CPUID policy, when one is installed. */
    @org.osgi.service.component.annotations.Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC, policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    public void setCpuidPolicy(org.hvkit.api.cpu.CpuidPolicy p) {
        cpuidPolicy = p;
    }

    public void unsetCpuidPolicy(org.hvkit.api.cpu.CpuidPolicy p) {
        if (cpuidPolicy == p) cpuidPolicy = null;
    }

    org.hvkit.api.cpu.CpuidPolicy cpuidPolicy() {
        return cpuidPolicy;
    }

    @org.osgi.service.component.annotations.Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    public void addCpuModel(CpuModel m) {
        models.put(m.name(), m);
    }

    public void removeCpuModel(CpuModel m) {
        models.remove(m.name(), m);
    }

    /** The model guests are built from: the model bundle's {@code host}, else this platform's own view of the host. */
    CpuModel guestCpuModel() {
        return models.getOrDefault("host", cpuModel());
    }

    @Override
    public CpuModel cpuModel() {
        return cpuModel;
    }

    Kvm kvm() {
        return kvm;
    }

    ReentrantLock lock() {
        return lock;
    }

    MachineHost host() {
        return host;
    }

    int pid() {
        return pid;
    }

    long runSignalMask() {
        return runSignalMask;
    }

    void log(String line) {
        System.getLogger(KvmPlatform.class.getName()).log(System.Logger.Level.INFO, line);
    }

    /** A line for the console ring (xl dmesg) as well as the log: what a carrier thread caught. */
    void hostLog(String line) {
        log(line);
        MachineHost h = host;
        if (h != null) h.log(line);
    }

    // ------------------------------------------------------------------ machine context

    @Override
    public <T> T call(Callable<T> task) throws Exception {
        if (lock.isHeldByCurrentThread()) return task.call();
        lock.lock();
        try {
            return task.call();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public MachineLock machineLock() {
        return lock;
    }

    /** A pCPU thread or the timer thread was abandoned in a hook: a fresh one takes its place. Machine context. */
    @Override
    public void abandoned(Thread t) {
        for (int i = 0; i < carriers.length; i++) {
            Carrier c = carriers[i];
            if (c.runsOn(t)) {
                Carrier fresh = new Carrier(this, c.cpu, c.hostCpu);
                carriers[i] = fresh;
                fresh.inherit(c);
                fresh.start();
                fresh.tickle();
                log("pCPU " + c.cpu + ": thread " + t.getName() + " abandoned in a scheduler hook; a new carrier took its place");
            }
        }
        timers.abandoned(t);
    }

    @Override
    public void tickle(int cpu) {
        carriers[cpu].tickle();
    }

    /** A vCPU's owner finished its exit: carriers waiting to enter it may go. Machine context. */
    void ownerReleased() {
        for (Carrier c : carriers) c.wakeup.signal();
    }

    @Override
    public Guest createGuest(GuestSpec spec) {
        if (stopped) throw new IllegalStateException("the KVM platform is stopped");
        KvmGuest g = new KvmGuest(this, spec);
        guests.put(g.domid, g);
        return g;
    }

    /** Memory access on KVM: the handler hears the domain's violations (see {@link KvmAccess}). Any thread. */
    @Override
    public org.hvkit.api.memaccess.AccessEnforcement attach(int domid, org.hvkit.api.memaccess.ViolationHandler handler) {
        if (handler == null) throw new IllegalArgumentException("no violation handler given for domain " + domid);
        KvmGuest g = guests.get(domid);
        if (g == null || g.isDestroyed()) throw new IllegalArgumentException("domain " + domid + " does not exist on the KVM platform" + (g == null ? "" : " any more"));
        g.access.attach(handler);
        return g.access;
    }

    // ------------------------------------------------------------------ device assignment (KvmPci, KvmDmaTarget)

    /** Maps the device's BARs into the domain's PCI window. Any thread; done in machine context. */
    @Override
    public void plug(int domid, org.hvkit.api.pci.PciDevice device) {
        if (device == null) throw new IllegalArgumentException("no PCI device given for domain " + domid);
        inMachine(() -> liveGuest(domid).pci.plug(device));
    }

    /** Takes the device's BARs out of the domain: in machine context, so no vCPU is inside one when this returns. */
    @Override
    public void unplug(int domid, org.hvkit.api.pci.PciAddress address) {
        inMachine(() -> {
            KvmGuest g = guests.get(domid);
            if (g != null) g.pci.unplug(address);
        });
    }

    @Override
    public org.hvkit.api.iommu.DmaTarget target(int domid) {
        return liveGuest(domid).dma;
    }

    private KvmGuest liveGuest(int domid) {
        KvmGuest g = guests.get(domid);
        if (g == null || g.isDestroyed()) throw new IllegalArgumentException("domain " + domid + " does not exist on the KVM platform" + (domid == 0 ? " (Domain-0 has no guest memory here)" : ""));
        return g;
    }

    private void inMachine(Runnable r) {
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

    /** The live guests (for figures). */
    java.util.Collection<KvmGuest> guests() {
        return guests.values();
    }

    void guestGone(KvmGuest g) {
        guests.remove(g.domid, g);
    }

    /** Platform time of the first exit of vCPU 0 of {@code domid}, or -1. */
    public long firstExitNs(int domid) {
        KvmGuest g = guests.get(domid);
        return g == null || g.vcpus.length == 0 ? -1 : g.vcpus[0].firstExitNs;
    }

    /** Bytes of guest memory currently mapped (leak checks). */
    public long mappedBytes() {
        return memory.mapped.get();
    }

    /** One line of counters per pCPU (schedules, KVM_RUN entries, EINTRs, kicks) and the timer lateness. */
    public List<String> stats() {
        List<String> out = new ArrayList<>();
        lock.lock();
        try {
            for (Carrier c : carriers) out.add("pcpu" + c.cpu + "@cpu" + c.hostCpu + " schedules=" + c.schedules + " runs=" + c.runs + " eintr=" + c.eintrs + " kicks=" + c.kicksSent
                    + (c.kickLatCount == 0 ? "" : " kick-to-exit mean=" + c.kickLatSum / c.kickLatCount / 1000 + "us max=" + c.kickLatMax / 1000 + "us"));
            out.add(exitPath().toString());
            out.add("timers fired=" + timers.fired() + " mean late=" + timers.meanLatenessNs() / 1000 + "us max late=" + timers.maxLatenessNs() / 1000 + "us");
        } finally {
            lock.unlock();
        }
        return out;
    }

    /** The exit-path figures of every pCPU together: what the Java path adds to KVM_RUN's own round trip. */
    ExitPathStats.Summary exitPath() {
        return exitPathStats().summary();
    }

    /** A copy of every pCPU's exit-path histograms, merged. */
    ExitPathStats exitPathStats() {
        lock.lock();
        try {
            ExitPathStats all = new ExitPathStats();
            for (Carrier c : carriers) all.add(c.exitPath);
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** Mean and maximum time (ns) from sending a kick to KVM_RUN returning on that pCPU, over all pCPUs, and the count. */
    public long[] kickLatency() {
        lock.lock();
        try {
            long sum = 0, n = 0, max = 0;
            for (Carrier c : carriers) {
                sum += c.kickLatSum;
                n += c.kickLatCount;
                max = Math.max(max, c.kickLatMax);
            }
            return new long[] {n == 0 ? 0 : sum / n, max, n};
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ driving

    @Override
    public void start(MachineHost host) {
        if (started) throw new IllegalStateException("already started");
        started = true;
        this.host = host;
        timers.start();
        for (Carrier c : carriers) c.start();
    }

    @Override
    @Deactivate
    public void stop() {
        if (stopped) return;
        stopped = true;
        lock.lock();
        try {
            for (Carrier c : carriers) {
                c.stopping = true;
                c.tickle();
                c.kick();
            }
        } finally {
            lock.unlock();
        }
        for (Carrier c : carriers) c.join();
        timers.close();
        lock.lock();
        try {
            for (KvmGuest g : List.copyOf(guests.values())) g.destroy();
        } finally {
            lock.unlock();
        }
        kvm.close();
    }
}
