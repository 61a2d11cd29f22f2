package org.hvkit.sched.credit1.internal;

import java.io.PrintWriter;
import java.util.Map;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedDomain;
import org.hvkit.api.sched.SchedTimer;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.WeightAndCap;

/**
 * One instance (one CPU pool) of Xen 4.2's credit scheduler, with HEAD's sub-credit residual.
 * This class holds the hooks; runqueues, accounting, stealing and placement live in their own
 * classes. The core serialises every call, so nothing here locks.
 */
final class Credit1Scheduler implements Scheduler, CreditAccounting.Effects {
    static final long NS_PER_CREDIT = 1_000_000L / PoolSettings.CREDITS_PER_MSEC;

    private final SchedulerContext ctx;
    private final int nrCpus, words;
    final CsPcpu[] pcpus;
    /** The pool's pCPUs, those running idle, those with queued work, those with queued work that has credit. */
    final long[] online, idlers, queuedBits, creditBits;
    /** How many bits of {@link #idlers} are set: with none, tickling skips the scan of thousands of bits. */
    private int nIdle;
    final CreditAccounting acct = new CreditAccounting();
    private final LoadBalancer balancer;
    private final CpuPicker picker;
    int ncpus;
    int master = -1;
    private SchedTimer acctTimer;
    PoolSettings settings;

    Credit1Scheduler(SchedulerContext ctx, Map<String, Long> poolParams) {
        this.ctx = ctx;
        HostTopology topo = ctx.topology();
        nrCpus = topo.nrCpus();
        words = (nrCpus + 63) >>> 6;
        pcpus = new CsPcpu[nrCpus];
        online = CpuBits.create(nrCpus);
        idlers = CpuBits.create(nrCpus);
        queuedBits = CpuBits.create(nrCpus);
        creditBits = CpuBits.create(nrCpus);
        balancer = new LoadBalancer(pcpus, idlers, queuedBits, creditBits);
        picker = new CpuPicker(topo);
        settings = PoolSettings.of(PoolSettings.DEFAULTS, poolParams);
    }

    /** What runs on {@code cpu} now, as this instance's data; null for idle. */
    CsVcpu running(int cpu) {
        return svc(ctx.current(cpu));
    }

    static CsVcpu svc(SchedVcpu v) {
        return v == null ? null : (CsVcpu) v.schedData();
    }

    // ------------------------------------------------------------------ pCPUs, domains, vCPUs

    @Override
    public void addPcpu(int cpu) {
        CsPcpu p = new CsPcpu(cpu, new Runqueue(cpu, queuedBits, creditBits));
        pcpus[cpu] = p;
        CpuBits.set(online, cpu);
        setIdle(cpu, true);
        ncpus++;
        p.sortedEpoch = acct.epoch;
        p.ticker = ctx.createTimer(cpu, now -> tick(p, now));
        p.ticker.set(ctx.now() + settings.tickPeriodNs());
        if (master < 0) startMaster(cpu);
    }

    /** The first pCPU of the pool runs the accounting timer. */
    private void startMaster(int cpu) {
        master = cpu;
        acctTimer = ctx.createTimer(cpu, this::account);
        acctTimer.set(ctx.now() + settings.tsliceNs());
    }

    @Override
    public void removePcpu(int cpu) {
        CsPcpu p = pcpus[cpu];
        if (p == null) return;
        p.ticker.stop();
        // the core re-places whatever was queued here
        while (!p.rq.isEmpty()) p.rq.remove(p.rq.first());
        pcpus[cpu] = null;
        CpuBits.clear(online, cpu);
        setIdle(cpu, false);
        ncpus--;
        if (cpu == master) {
            acctTimer.stop();
            master = -1;
            int next = CpuBits.next(online, null, null, 0, nrCpus);
            if (next >= 0) startMaster(next);
        }
    }

    @Override
    public void addDomain(SchedDomain dom, Map<String, Long> params) {
        dom.setSchedData(new CsDomain(dom, params.getOrDefault("weight", 256L).intValue(), params.getOrDefault("cap", 0L).intValue()));
    }

    @Override
    public void removeDomain(SchedDomain dom) {
        CsDomain d = (CsDomain) dom.schedData();
        if (d != null) acct.removeDomain(d);
        dom.setSchedData(null);
    }

    @Override
    public void insertVcpu(SchedVcpu v) {
        // credit 0, UNDER; not queued: if it is runnable the core follows with wake()
        CsVcpu s = new CsVcpu(v, (CsDomain) v.domain().schedData());
        s.lastBurn = ctx.now();
        v.setSchedData(s);
    }

    @Override
    public void removeVcpu(SchedVcpu v) {
        CsVcpu s = svc(v);
        if (s == null) return;
        if (s.rq != null) s.rq.remove(s);
        if (s.active) acct.stop(s);
        v.setSchedData(null);
    }

    // ------------------------------------------------------------------ credit

    /** Charges the run time since the last burn, 10 credits per ms; the sub-credit rest is kept. */
    void burn(CsVcpu s, long now) {
        long delta = now - s.lastBurn;
        if (delta <= 0) return;
        long ns = delta + s.residualNs;
        s.credit -= (int) (ns / NS_PER_CREDIT);
        s.residualNs = ns % NS_PER_CREDIT;
        s.lastBurn = now;
    }

    /** The per-pCPU tick: BOOST ends, the running vCPU is charged and joins the active list; sort after accounting. */
    void tick(CsPcpu p, long now) {
        CsVcpu cur = svc(ctx.current(p.cpu));
        if (cur != null) {
            if (cur.pri == CsVcpu.PRI_BOOST) cur.pri = CsVcpu.PRI_UNDER;
            if (cur.onCpu) burn(cur, now);
            if (!cur.active) acct.start(cur);
        }
        if (p.sortedEpoch != acct.epoch) {
            p.sortedEpoch = acct.epoch;
            p.rq.sort();
        }
        p.ticker.set(now + settings.tickPeriodNs());
    }

    /** Accounting on the master pCPU every time slice. */
    void account(long now) {
        acctTimer.set(now + settings.tsliceNs());
        acct.account(ncpus, settings.creditsPerTslice(), this);
    }

    @Override
    public void setPriority(CsVcpu s, int pri) {
        if (s.rq != null) s.rq.reprioritise(s, pri); else s.pri = pri;
    }

    /** Over the cap: off the runqueue, and off its pCPU if running there. */
    @Override
    public void park(CsVcpu s) {
        s.parked = true;
        if (s.rq != null) s.rq.remove(s);
        if (s.vcpu.isRunning()) ctx.tickle(s.vcpu.processor());
    }

    /** Credit recovered: back on its runqueue at UNDER (never BOOST). */
    @Override
    public void unpark(CsVcpu s) {
        s.parked = false;
        SchedVcpu v = s.vcpu;
        if (v.isRunnable() && !v.isRunning() && s.rq == null && pcpus[v.processor()] != null) {
            pcpus[v.processor()].rq.insert(s);
            tickle(v.processor(), s);
        }
    }

    private void setIdle(int cpu, boolean on) {
        if (CpuBits.get(idlers, cpu) == on) return;
        CpuBits.put(idlers, cpu, on);
        nIdle += on ? 1 : -1;
    }

    // ------------------------------------------------------------------ sleep, wake, yield

    @Override
    public void sleep(SchedVcpu v) {
        CsVcpu s = svc(v);
        if (v.isRunning()) ctx.tickle(v.processor());
        else if (s.rq != null) s.rq.remove(s);
    }

    @Override
    public void wake(SchedVcpu v) {
        CsVcpu s = svc(v);
        if (v.isRunning() || s.rq != null || s.parked) return;
        CsPcpu p = pcpus[v.processor()];
        if (p == null) return;
        // woken with credit: BOOST, so an I/O-bound vCPU preempts CPU hogs
        if (s.pri == CsVcpu.PRI_UNDER) s.pri = CsVcpu.PRI_BOOST;
        p.rq.insert(s);
        tickle(p.cpu, s);
    }

    /**
     * Xen's __runq_tickle: preempt {@code cpu} if the newcomer outranks what runs there; and if
     * that pCPU is busy, wake one idle pCPU the newcomer may run on (round robin) to steal it.
     */
    private void tickle(int cpu, CsVcpu s) {
        CsVcpu cur = svc(ctx.current(cpu));
        int curPri = cur == null ? CsVcpu.PRI_IDLE : cur.pri;
        if (s.pri > curPri) ctx.tickle(cpu);
        if (curPri > CsVcpu.PRI_IDLE && nIdle > 0) {
            CsPcpu p = pcpus[cpu];
            int c = CpuBits.cycle(idlers, s.hard(words), null, p.lastTickle, nrCpus);
            if (c >= 0) {
                p.lastTickle = c;
                ctx.tickle(c);
            }
        }
    }

    @Override
    public void yield(SchedVcpu v) {
        svc(v).yielding = true;
    }

    @Override
    public void contextSaved(SchedVcpu v) {
        CsVcpu s = svc(v);
        if (s == null || !s.onCpu) return;
        // the core may take a vCPU off without do_schedule (pause): charge that run time too
        burn(s, ctx.now());
        s.onCpu = false;
    }

    // ------------------------------------------------------------------ do_schedule

    @Override
    public Decision doSchedule(int cpu, long now, SchedVcpu current) {
        CsPcpu p = pcpus[cpu];
        CsVcpu cur = svc(current);
        boolean runnable = false;
        if (cur != null) {
            if (cur.onCpu) burn(cur, now);
            if (cur.rq != null) cur.rq.remove(cur);
            runnable = current.isRunnable() && !cur.parked && current.hardAffinity().contains(cpu);
            // ratelimit: a vCPU that started less than ratelimit ago keeps the pCPU (not if it yields)
            if (runnable && !cur.yielding && now - cur.runStart < settings.ratelimitNs()) {
                cur.onCpu = true;
                cur.lastBurn = now;
                return cur.decision(settings.ratelimitNs());
            }
            if (runnable) p.rq.insert(cur);
            cur.yielding = false;
        }
        CsVcpu next = p.rq.first();
        boolean migrated = false;
        if (next != null && next.pri > CsVcpu.PRI_OVER) {
            p.rq.remove(next);
        } else {
            // the best here has no credit: look for better work on busy peers
            CsVcpu stolen = balancer.steal(cpu, next == null ? CsVcpu.PRI_IDLE : next.pri);
            if (stolen != null) {
                next = stolen;
                migrated = true;
            } else if (next != null) {
                p.rq.remove(next);
            }
        }
        setIdle(cpu, next == null);
        if (next == null) return Decision.IDLE;
        if (next != cur) next.runStart = now;
        next.onCpu = true;
        next.lastBurn = now;
        return migrated ? new Decision(next.vcpu, settings.tsliceNs(), true) : next.decision(settings.tsliceNs());
    }

    // ------------------------------------------------------------------ placement

    @Override
    public int pickCpu(SchedVcpu v) {
        CsVcpu s = svc(v);
        long[] hard = s != null ? s.hard(words) : CpuBits.of(v.hardAffinity(), words);
        return picker.pick(hard, online, idlers, v.processor(), pcpus);
    }

    // ------------------------------------------------------------------ parameters

    @Override
    public Map<String, Long> getDomainParams(SchedDomain dom) {
        CsDomain d = (CsDomain) dom.schedData();
        return Map.of("weight", (long) d.weight, "cap", (long) d.cap);
    }

    @Override
    public void setDomainParams(SchedDomain dom, Map<String, Long> params) {
        CsDomain d = (CsDomain) dom.schedData();
        WeightAndCap.validate(params, dom.vcpus().size());
        Long w = params.get("weight"), c = params.get("cap");
        if (w != null) acct.reweigh(d, w.intValue());
        // a lifted cap takes effect at the next accounting, which unparks vCPUs whose credit recovered
        if (c != null) d.cap = c.intValue();
    }

    @Override
    public Map<String, Long> getPoolParams() {
        return settings.toMap();
    }

    @Override
    public void setPoolParams(Map<String, Long> params) {
        // timers pick the new periods up when they next fire
        settings = PoolSettings.of(settings, params);
    }

    @Override
    public void dump(PrintWriter out) {
        SchedDump.dump(this, out);
    }

    @Override
    public void shutdown() {
        for (CsPcpu p : pcpus) if (p != null) p.ticker.stop();
        if (acctTimer != null) acctTimer.stop();
    }
}
