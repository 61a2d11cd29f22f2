package org.hvkit.conformance;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.sched.SchedulerProvider;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.testkit.Simulation;
import org.hvkit.testkit.TraceEvent;

/**
 * Runs one {@link Scenario} on the real core and simulated machine and checks the online
 * properties while the trace streams by (nothing but per-vCPU and per-pCPU state is kept).
 */
final class Runner {

    /** The bounds a run is checked against. */
    record Limits(long waitBoundNs, long workConservingBoundNs, long sampleStepNs) {
    }

    /** What one run showed. */
    static final class Outcome {
        /** The first violation seen per property (only the online ones: wait, affinity, work conservation, churn). */
        final Map<Property, String> violations = new EnumMap<>(Property.class);
        /** Why the core evicted the scheduler, or null. */
        String eviction;
        long traceHash = 17;
        long events;
        /** CPU time per domain (index into the scenario) over [measureFrom, end], ns; -1 when not alive throughout. */
        long[] measuredNs;
        long measuredWindowNs;

        void violate(Property p, String what) {
            violations.putIfAbsent(p, what);
        }
    }

    private static final class VState {
        final int domIndex, vcpu;
        final String label;
        CpuMask hard;
        boolean capped, alive = true, hog;
        boolean runnable;
        int runningOn = -1;
        long waitSince = -1;
        long lastRun = -1;
        long boundNs;
        int competitors;
        /** Its domain's weight: a light vCPU among heavy ones may wait longer. */
        long weight;

        VState(int domIndex, int domid, int vcpu, String name) {
            this.domIndex = domIndex;
            this.vcpu = vcpu;
            this.label = "d" + domid + "v" + vcpu + " (" + name + ")";
        }
    }

    private final SchedulerProvider provider;
    private final Scenario sc;
    private final Limits lim;
    private final Outcome out = new Outcome();
    private final Map<Integer, VState> vcpus = new HashMap<>();
    private final List<VState> all = new ArrayList<>();
    private VState[] onCpu;
    private long[] idleSince;
    /** domid per scenario domain, -1 before creation / after destruction. */
    private int[] domid;
    private boolean[] paused;
    private long wcSince = -1;
    private int creating = -1;
    private String wcWhat;

    private Runner(SchedulerProvider provider, Scenario sc, Limits lim) {
        this.provider = provider;
        this.sc = sc;
        this.lim = lim;
    }

    static Outcome run(SchedulerProvider provider, Scenario sc, Limits lim) {
        return new Runner(provider, sc, lim).go();
    }

    private static int key(int domid, int vcpu) {
        return domid << 12 | vcpu;
    }

    private Outcome go() {
        int n = sc.nrCpus();
        onCpu = new VState[n];
        idleSince = new long[n];
        domid = new int[sc.domains().size()];
        paused = new boolean[domid.length];
        java.util.Arrays.fill(domid, -1);
        Consumer<TraceEvent> listener = this::event;
        try (Simulation sim = Simulation.builder().topology(sc.topology()).seed(sc.seed()).scheduler(provider).traceListener(listener).build()) {
            Hypervisor hv = sim.hypervisor();
            hv.setWatchdogNs(0, 0); // the kit measures stalls itself; the core must not hide them by evicting
            String name = provider.optName();
            // creations and operations, in time order
            List<long[]> agenda = new ArrayList<>(); // {time, kind (-1 create / op index), domain}
            for (int i = 0; i < sc.domains().size(); i++) agenda.add(new long[] {sc.domains().get(i).createAtNs(), -1, i});
            for (int i = 0; i < sc.ops().size(); i++) agenda.add(new long[] {sc.ops().get(i).atNs(), i, sc.ops().get(i).domain()});
            agenda.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
            long[] startNs = new long[domid.length];
            boolean[] measurable = new boolean[domid.length];
            int next = 0, samples = 0;
            long lastOp = 0;
            for (long[] a : agenda) if (a[1] >= 0) lastOp = Math.max(lastOp, a[0]);
            boolean measured = false;
            while (true) {
                long now = sim.now();
                while (next < agenda.size() && agenda.get(next)[0] <= now) apply(hv, agenda.get(next++), now);
                if (!measured && now >= sc.measureFromNs()) {
                    measured = true;
                    for (int i = 0; i < domid.length; i++) {
                        measurable[i] = domid[i] >= 0;
                        if (measurable[i]) startNs[i] = sim.cpuTimeNs(domid[i]);
                    }
                }
                if (now >= sc.durationNs()) break;
                long until = Math.min(sc.durationNs(), now + lim.sampleStepNs());
                if (next < agenda.size()) until = Math.min(until, Math.max(now + 1, agenda.get(next)[0]));
                if (!measured) until = Math.min(until, Math.max(now + 1, sc.measureFromNs()));
                sim.runUntil(until);
                sample(sim.now());
                if (++samples % 16 == 0 && evicted(hv, name)) return out;
            }
            if (evicted(hv, name)) return out;
            long end = sim.now();
            out.measuredWindowNs = end - sc.measureFromNs();
            out.measuredNs = new long[domid.length];
            for (int i = 0; i < domid.length; i++) out.measuredNs[i] = measurable[i] && domid[i] >= 0 ? sim.cpuTimeNs(domid[i]) - startNs[i] : -1;
            finalChecks(hv, end, lastOp);
        }
        return out;
    }

    private boolean evicted(Hypervisor hv, String name) {
        if (name.equals(hv.pools().get(0).scheduler())) return false;
        String reason = "the pool no longer runs " + name;
        for (String line : hv.readConsole(false)) {
            int i = line.indexOf(" evicted: ");
            if (i >= 0) reason = line.substring(i + " evicted: ".length());
        }
        out.eviction = reason;
        return true;
    }

    private void apply(Hypervisor hv, long[] a, long now) {
        int d = (int) a[2];
        Scenario.DomainSpec spec = sc.domains().get(d);
        if (a[1] < 0) {
            DomainConfig.Builder b = DomainConfig.builder(spec.name()).vcpus(spec.vcpus()).memoryMb(64).cpus(spec.cpus())
                    .platformOptions(Map.of("workload", spec.workload()));
            if (spec.weight() > 0) b.weight(spec.weight());
            if (spec.cap() > 0) b.cap(spec.cap());
            DomainInfo info;
            try {
                creating = d;
                info = hv.createDomain(b.build());
            } catch (HypervisorException e) {
                out.violate(Property.CHURN, "creating " + spec.name() + " at " + Scenario.ms(now) + " failed: " + e.getMessage());
                return;
            } finally {
                creating = -1;
            }
            domid[d] = info.id();
            CpuMask hard = spec.cpus() == null ? CpuMask.firstN(sc.nrCpus()) : spec.cpus();
            for (int v = 0; v < spec.vcpus(); v++) {
                VState s = state(info.id(), v);
                s.hard = hard;
                s.capped = spec.cap() > 0;
                s.hog = spec.workload().equals("cpu");
                s.weight = spec.weight() > 0 ? spec.weight() : defaultWeight();
            }
            recomputeBounds();
            return;
        }
        if (domid[d] < 0) return; // not created yet or gone
        Scenario.Op op = sc.ops().get((int) a[1]);
        try {
            switch (op.kind()) {
                case DESTROY -> {
                    hv.destroyDomain(domid[d]);
                    for (int v = 0; v < spec.vcpus(); v++) {
                        VState s = vcpus.remove(key(domid[d], v));
                        if (s != null) {
                            s.alive = false;
                            all.remove(s);
                            if (s.runningOn >= 0 && onCpu[s.runningOn] == s) onCpu[s.runningOn] = null;
                        }
                    }
                    domid[d] = -1;
                    recomputeBounds();
                }
                case PAUSE -> { hv.pauseDomain(domid[d]); paused[d] = true; }
                case UNPAUSE -> { hv.unpauseDomain(domid[d]); paused[d] = false; }
                case PIN -> {
                    if (op.vcpu() >= spec.vcpus()) return;
                    hv.pinVcpu(domid[d], op.vcpu(), op.cpus());
                    state(domid[d], op.vcpu()).hard = op.cpus();
                    recomputeBounds();
                }
                case WEIGHT -> {
                    // A scheduler without weights (a third party's round robin) is not churned on them.
                    if (!provider.defaultDomainParams().containsKey("weight")) return;
                    hv.setDomainSchedParams(domid[d], Map.of("weight", (long) op.value()));
                    for (int v = 0; v < spec.vcpus(); v++) state(domid[d], v).weight = op.value();
                    recomputeBounds();
                }
            }
        } catch (HypervisorException e) {
            out.violate(Property.CHURN, op.describe(sc.domains()) + " was refused: " + e.getMessage());
        }
    }

    /** The state of a vCPU of a live domain (or of the one being created); null for anything else. */
    private VState state(int dom, int vcpu) {
        VState s = vcpus.get(key(dom, vcpu));
        if (s != null) return s;
        int idx = -1;
        for (int i = 0; i < domid.length; i++) if (domid[i] == dom) idx = i;
        if (idx < 0) idx = creating; // its events arrive before createDomain returns its id
        if (idx < 0) return null;
        s = new VState(idx, dom, vcpu, sc.domains().get(idx).name());
        vcpus.put(key(dom, vcpu), s);
        all.add(s);
        return s;
    }

    private long defaultWeight() {
        return provider.defaultDomainParams().getOrDefault("weight", 256L);
    }

    /**
     * The wait bound of each vCPU: the base bound times the vCPUs that may compete for each of its
     * pCPUs, or, when it is lighter than its competitors, times their weight relative to its own
     * (a proportional-share scheduler owes a vCPU of weight w among competitors of total weight W
     * only w/(w+W) of its pCPUs, so it may wait about W/w slices between two of its own).
     */
    private void recomputeBounds() {
        for (VState s : all) {
            if (s.hard == null) continue;
            int c = 0;
            double relative = 1;
            for (VState o : all) {
                if (o != s && o.alive && o.hard != null && o.hard.intersects(s.hard)) {
                    c++;
                    relative += s.weight > 0 ? (double) o.weight / s.weight : 1;
                }
            }
            s.competitors = c;
            int allowed = Math.max(1, s.hard.and(CpuMask.firstN(sc.nrCpus())).cardinality());
            long byCount = Math.max(1, (c + 1 + allowed - 1) / allowed);
            long byWeight = (long) Math.ceil(relative / allowed - 1e-9);
            s.boundNs = lim.waitBoundNs() * Math.max(byCount, byWeight);
        }
    }

    private void event(TraceEvent e) {
        out.events++;
        out.traceHash = out.traceHash * 1_000_003L + e.timeNs() * 31 + e.kind().ordinal() * 7919L + e.cpu() * 104_729L + e.domid() * 131L + e.vcpu();
        if (e.domid() == 0) return;
        VState s = state(e.domid(), e.vcpu());
        if (s == null) return;
        long t = e.timeNs();
        switch (e.kind()) {
            case WAKE -> {
                s.runnable = true;
                if (s.runningOn < 0) s.waitSince = t;
            }
            case BLOCK -> {
                checkWait(s, t, "until it blocked");
                s.runnable = false;
                s.waitSince = -1;
            }
            case RUN -> {
                checkWait(s, t, "before it ran");
                s.waitSince = -1;
                s.runningOn = e.cpu();
                s.lastRun = t;
                if (e.cpu() >= 0 && e.cpu() < onCpu.length) onCpu[e.cpu()] = s;
                if (s.hard != null && !s.hard.contains(e.cpu())) {
                    out.violate(Property.HARD_AFFINITY, s.label + " ran on pCPU " + e.cpu() + " at " + Scenario.ms(t) + ", outside its hard affinity " + s.hard.toRangeList());
                }
            }
            case DESCHEDULE -> {
                s.runningOn = -1;
                s.lastRun = t;
                if (e.cpu() >= 0 && e.cpu() < onCpu.length && onCpu[e.cpu()] == s) {
                    onCpu[e.cpu()] = null;
                    idleSince[e.cpu()] = t;
                }
                if (s.runnable) s.waitSince = t;
            }
            default -> { }
        }
    }

    private void checkWait(VState s, long t, String how) {
        if (s.waitSince < 0 || s.capped || s.hard == null) return;
        long w = t - s.waitSince;
        if (w > s.boundNs) {
            out.violate(Property.BOUNDED_WAIT, s.label + " was runnable from " + Scenario.ms(s.waitSince) + " to " + Scenario.ms(t) + " (" + Scenario.ms(w) + ") "
                    + how + "; bound " + Scenario.ms(s.boundNs) + " (" + Scenario.ms(lim.waitBoundNs()) + " x " + (s.boundNs / lim.waitBoundNs())
                    + ": " + s.competitors + " other vCPU(s) may use its pCPUs " + s.hard.toRangeList() + "; its weight " + s.weight + ")");
        }
    }

    /** Checks the ongoing waits and work conservation at a sampling point. */
    private void sample(long now) {
        boolean holds = false;
        for (VState s : all) {
            if (s.waitSince < 0 || s.capped || s.hard == null || !s.alive) continue;
            checkWait(s, now, "and still waits");
            if (holds) continue;
            for (int c = s.hard.first(); c >= 0 && c < onCpu.length; c = s.hard.nextSetBit(c + 1)) {
                if (onCpu[c] == null) {
                    holds = true;
                    if (wcSince < 0) {
                        wcSince = Math.max(s.waitSince, idleSince[c]);
                        wcWhat = "pCPU " + c + " idle (since " + Scenario.ms(idleSince[c]) + ") while " + s.label + ", allowed on " + s.hard.toRangeList()
                                + ", waited (since " + Scenario.ms(s.waitSince) + ")";
                    }
                    break;
                }
            }
        }
        if (!holds) {
            wcSince = -1;
        } else if (now - wcSince > lim.workConservingBoundNs()) {
            out.violate(Property.WORK_CONSERVING, wcWhat + ": idle-while-runnable from " + Scenario.ms(wcSince) + " to at least " + Scenario.ms(now)
                    + " (" + Scenario.ms(now - wcSince) + "), bound " + Scenario.ms(lim.workConservingBoundNs()));
        }
    }

    /** CHURN: after the last operation every live, unpaused CPU hog must be running or have run again. */
    private void finalChecks(Hypervisor hv, long end, long lastOp) {
        if (sc.ops().isEmpty()) return;
        for (int d = 0; d < domid.length; d++) {
            if (domid[d] < 0 || paused[d]) continue;
            Scenario.DomainSpec spec = sc.domains().get(d);
            int have = hv.vcpus(domid[d]).size();
            if (have != spec.vcpus()) out.violate(Property.CHURN, spec.name() + " has " + have + " vCPUs, not " + spec.vcpus());
            for (int v = 0; v < spec.vcpus(); v++) {
                VState s = vcpus.get(key(domid[d], v));
                if (s == null || !s.hog || s.capped) continue;
                if (s.runningOn < 0 && s.lastRun < lastOp) {
                    out.violate(Property.CHURN, s.label + " is a runnable CPU hog but has not run since " + (s.lastRun < 0 ? "it was created" : Scenario.ms(s.lastRun))
                            + " although the last operation was at " + Scenario.ms(lastOp) + " and the run ended at " + Scenario.ms(end));
                }
            }
        }
    }
}
