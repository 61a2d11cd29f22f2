package org.hvkit.sched.credit1.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedDomain;
import org.hvkit.api.sched.SchedTimer;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.SchedulerContext;

/** A minimal stand-in for the core: manual time and timers, recorded tickles, decisions applied as the core would. */
final class FakeCore implements SchedulerContext {
    final HostTopology topo;
    final Credit1Scheduler sched;
    final FakeVcpu[] current;
    final List<Integer> tickles = new ArrayList<>();
    final List<FakeTimer> timers = new ArrayList<>();
    long now;
    private int nextUid, nextDomid = 1;

    FakeCore(HostTopology topo, Map<String, Long> poolParams) {
        this.topo = topo;
        current = new FakeVcpu[topo.nrCpus()];
        sched = (Credit1Scheduler) new Credit1Provider().create(this, poolParams);
        for (int c = 0; c < topo.nrCpus(); c++) sched.addPcpu(c);
    }

    FakeCore(int pcpus) {
        this(HostTopology.of(1, pcpus, 1, 1, 1L << 30), Map.of());
    }

    FakeDomain domain(int weight, int cap, int vcpus) {
        FakeDomain d = new FakeDomain(nextDomid++);
        for (int i = 0; i < vcpus; i++) d.vcpus.add(new FakeVcpu(d, i, nextUid++));
        sched.addDomain(d, Map.of("weight", (long) weight, "cap", (long) cap));
        return d;
    }

    /** Inserts on {@code cpu} with the given affinity and wakes it. */
    FakeVcpu start(FakeVcpu v, int cpu, CpuMask hard) {
        v.processor = cpu;
        v.hard = hard;
        sched.insertVcpu(v);
        v.runnable = true;
        sched.wake(v);
        return v;
    }

    CsVcpu svc(FakeVcpu v) {
        return (CsVcpu) v.schedData();
    }

    /** Runs do_schedule on {@code cpu} and applies the decision. */
    Decision schedule(int cpu) {
        FakeVcpu prev = current[cpu];
        Decision d = sched.doSchedule(cpu, now, prev);
        FakeVcpu next = (FakeVcpu) d.vcpu();
        if (next != null) {
            if (!next.runnable || !next.hard.contains(cpu) || (next.running && next != prev)) throw new AssertionError("invalid decision " + next.label());
        }
        if (next != prev) {
            if (prev != null) {
                prev.running = false;
                current[cpu] = null;
                sched.contextSaved(prev);
            }
            if (next != null) {
                next.processor = cpu;
                next.running = true;
                current[cpu] = next;
            }
        }
        return d;
    }

    /** Advances time, firing due timers in deadline order. */
    void advance(long ns) {
        long end = now + ns;
        while (true) {
            FakeTimer due = null;
            for (FakeTimer t : timers) if (t.deadline >= 0 && t.deadline <= end && (due == null || t.deadline < due.deadline)) due = t;
            if (due == null) break;
            now = due.deadline;
            due.deadline = -1;
            due.callback.accept(now);
        }
        now = end;
    }

    void block(FakeVcpu v) {
        v.runnable = false;
        sched.sleep(v);
    }

    @Override public long now() { return now; }
    @Override public int poolId() { return 0; }
    @Override public String poolName() { return "Pool-0"; }
    @Override public HostTopology topology() { return topo; }
    @Override public void tickle(int cpu) { tickles.add(cpu); }
    @Override public SchedVcpu current(int cpu) { return current[cpu]; }
    @Override public void printk(String line) { }

    @Override
    public SchedTimer createTimer(int cpu, LongConsumer callback) {
        FakeTimer t = new FakeTimer(callback);
        timers.add(t);
        return t;
    }

    static final class FakeTimer implements SchedTimer {
        final LongConsumer callback;
        long deadline = -1;

        FakeTimer(LongConsumer callback) { this.callback = callback; }
        @Override public void set(long deadlineNs) { deadline = deadlineNs; }
        @Override public void stop() { deadline = -1; }
        @Override public boolean isActive() { return deadline >= 0; }
        @Override public long deadline() { return deadline; }
    }

    static final class FakeDomain implements SchedDomain {
        final int id;
        final List<FakeVcpu> vcpus = new ArrayList<>();
        Object data;

        FakeDomain(int id) { this.id = id; }
        FakeVcpu v(int i) { return vcpus.get(i); }
        @Override public int id() { return id; }
        @Override public String name() { return "d" + id; }
        @Override public List<? extends SchedVcpu> vcpus() { return vcpus; }
        @Override public Object schedData() { return data; }
        @Override public void setSchedData(Object d) { data = d; }
    }

    static final class FakeVcpu implements SchedVcpu {
        final FakeDomain dom;
        final int id, uid;
        int processor;
        boolean running, runnable;
        CpuMask hard = CpuMask.firstN(64);
        Object data;

        FakeVcpu(FakeDomain dom, int id, int uid) { this.dom = dom; this.id = id; this.uid = uid; }
        @Override public SchedDomain domain() { return dom; }
        @Override public int vcpuId() { return id; }
        @Override public int uid() { return uid; }
        @Override public int processor() { return processor; }
        @Override public void setProcessor(int cpu) {
            if (running) throw new AssertionError("moved while running");
            processor = cpu;
        }
        @Override public boolean isRunning() { return running; }
        @Override public boolean isRunnable() { return runnable; }
        @Override public CpuMask hardAffinity() { return hard; }
        @Override public CpuMask softAffinity() { return hard; }
        @Override public Object schedData() { return data; }
        @Override public void setSchedData(Object d) { data = d; }
    }
}
