package org.hvkit.testkit;

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
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;

/**
 * A minimal stand-in for the core, for testing one scheduler instance step by step: manual time
 * and timers, recorded tickles, decisions applied as the core applies them (and checked as it
 * checks them). Where {@link Simulation} runs workloads, this drives single hooks.
 *
 * @param <S> the scheduler's own class, so tests can look at its internals
 */
public class FakeCore<S extends Scheduler> implements SchedulerContext {
    public final HostTopology topo;
    public final S sched;
    public final FakeVcpu[] current;
    /** Every pCPU tickled, in order. */
    public final List<Integer> tickles = new ArrayList<>();
    public final List<FakeTimer> timers = new ArrayList<>();
    public long now;
    private int nextUid, nextDomid = 1;

    /** Creates an instance of {@code provider} with {@code poolParams} and gives it every pCPU of {@code topo}. */
    @SuppressWarnings("unchecked")
    public FakeCore(SchedulerProvider provider, HostTopology topo, Map<String, Long> poolParams) {
        this.topo = topo;
        current = new FakeVcpu[topo.nrCpus()];
        sched = (S) provider.create(this, poolParams);
        for (int c = 0; c < topo.nrCpus(); c++) sched.addPcpu(c);
    }

    /** A domain with the given weight, cap and number of vCPUs, added to the scheduler. */
    public FakeDomain domain(int weight, int cap, int vcpus) {
        FakeDomain d = new FakeDomain(nextDomid++);
        for (int i = 0; i < vcpus; i++) d.vcpus.add(new FakeVcpu(d, i, nextUid++));
        sched.addDomain(d, Map.of("weight", (long) weight, "cap", (long) cap));
        return d;
    }

    /** Inserts on {@code cpu} with the given hard affinity and wakes it. */
    public FakeVcpu start(FakeVcpu v, int cpu, CpuMask hard) {
        v.processor = cpu;
        v.hard = hard;
        sched.insertVcpu(v);
        v.runnable = true;
        sched.wake(v);
        return v;
    }

    /** Runs do_schedule on {@code cpu} and applies the decision. */
    public Decision schedule(int cpu) {
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
    public void advance(long ns) {
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

    public void block(FakeVcpu v) {
        v.runnable = false;
        sched.sleep(v);
    }

    public void wake(FakeVcpu v) {
        v.runnable = true;
        sched.wake(v);
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

    public static final class FakeTimer implements SchedTimer {
        final LongConsumer callback;
        long deadline = -1;

        FakeTimer(LongConsumer callback) { this.callback = callback; }
        @Override public void set(long deadlineNs) { deadline = deadlineNs; }
        @Override public void stop() { deadline = -1; }
        @Override public boolean isActive() { return deadline >= 0; }
        @Override public long deadline() { return deadline; }
    }

    public static final class FakeDomain implements SchedDomain {
        public final int id;
        public final List<FakeVcpu> vcpus = new ArrayList<>();
        Object data;

        public FakeDomain(int id) { this.id = id; }
        public FakeVcpu v(int i) { return vcpus.get(i); }
        @Override public int id() { return id; }
        @Override public String name() { return "d" + id; }
        @Override public List<? extends SchedVcpu> vcpus() { return vcpus; }
        @Override public Object schedData() { return data; }
        @Override public void setSchedData(Object d) { data = d; }
    }

    public static final class FakeVcpu implements SchedVcpu {
        public final FakeDomain dom;
        public final int id, uid;
        public int processor;
        public boolean running, runnable;
        public CpuMask hard = CpuMask.firstN(64);
        /** Soft affinity; null means the same as hard (none of its own). */
        public CpuMask soft;
        Object data;

        public FakeVcpu(FakeDomain dom, int id, int uid) { this.dom = dom; this.id = id; this.uid = uid; }
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
        @Override public CpuMask softAffinity() { return soft == null ? hard : soft; }
        @Override public Object schedData() { return data; }
        @Override public void setSchedData(Object d) { data = d; }
    }
}
