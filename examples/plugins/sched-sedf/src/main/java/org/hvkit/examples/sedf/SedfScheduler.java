package org.hvkit.examples.sedf;

import static org.hvkit.examples.sedf.SedfVcpu.EXTRA_AWARE;
import static org.hvkit.examples.sedf.SedfVcpu.EXTRA_RUN_PEN;
import static org.hvkit.examples.sedf.SedfVcpu.EXTRA_RUN_UTIL;
import static org.hvkit.examples.sedf.SedfVcpu.EXTRA_WANT_PEN_Q;
import static org.hvkit.examples.sedf.SedfVcpu.PEN_Q;
import static org.hvkit.examples.sedf.SedfVcpu.SEDF_ASLEEP;
import static org.hvkit.examples.sedf.SedfVcpu.UTIL_Q;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedDomain;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;

/**
 * Xen 4.2's sched_sedf.c for one pool: per-pCPU EDF queues (runq by deadline, waitq by period
 * start), two extra-time queues (L0: block penalty, L1: utilisation / extra weight), latency-free
 * unblocking (short blocks get penalty extra time, long ones a new period), weights turned into
 * slices of a 100 ms period per pCPU. No load balancing, as in Xen: a vCPU stays on the pCPU
 * pick_cpu gave it. All calls come serialised from the core (machine context): no locks.
 */
final class SedfScheduler implements Scheduler {
    static final long EXTRA_QUANTUM = 500 * SedfParams.US, IDLE_TIME = 1_000 * SedfParams.MS;

    /** Per pCPU (struct sedf_cpu_info). */
    private static final class Cpu {
        final List<SedfVcpu> runq = new ArrayList<>(), waitq = new ArrayList<>();
        @SuppressWarnings("unchecked")
        final List<SedfVcpu>[] extraq = new List[] {new ArrayList<SedfVcpu>(), new ArrayList<SedfVcpu>()};
        long currentSliceExpires;
        /** What this instance last chose here and has not yet descheduled (Xen's current). */
        SedfVcpu chosen;
        /** When the core took {@link #chosen} off the pCPU by itself (pause, destroy), or -1. */
        long stoppedAt = -1;
    }

    private final SchedulerContext ctx;
    private final Map<Integer, Cpu> cpus = new TreeMap<>();
    private final Map<SchedDomain, SedfParams> domains = new LinkedHashMap<>();
    private final Map<SchedVcpu, SedfVcpu> vcpus = new HashMap<>();

    SedfScheduler(SchedulerContext ctx) {
        this.ctx = ctx;
    }

    private static SedfVcpu inf(SchedVcpu v) {
        return (SedfVcpu) v.schedData();
    }

    // ---- queues (list_insert_sort keeps equal keys in arrival order) -------------------------

    private static void insertSorted(List<SedfVcpu> q, SedfVcpu e, Comparator<SedfVcpu> c) {
        int i = 0;
        while (i < q.size() && c.compare(e, q.get(i)) >= 0) i++;
        q.add(i, e);
        e.queue = q;
    }

    private static final Comparator<SedfVcpu> WAITQ = Comparator.comparingLong(SedfVcpu::periodBegin);
    private static final Comparator<SedfVcpu> RUNQ = Comparator.comparingLong(x -> x.deadlAbs);

    private void addToWaitq(SedfVcpu e) {
        insertSorted(cpu(e).waitq, e, WAITQ);
    }

    private void addToRunq(SedfVcpu e) {
        insertSorted(cpu(e).runq, e, RUNQ);
    }

    private static boolean onQueue(SedfVcpu e) {
        return e.queue != null;
    }

    private static void delFromQueue(SedfVcpu e) {
        e.queue.remove(e);
        e.queue = null;
    }

    private Cpu cpu(SedfVcpu e) {
        return cpus.get(e.v.processor());
    }

    private static boolean extraqOn(SedfVcpu e, int i) {
        return e.extraOn[i] != null;
    }

    private static void extraqDel(SedfVcpu e, int i) {
        e.extraOn[i].remove(e);
        e.extraOn[i] = null;
    }

    /** extraq_add_sort_update: insert by score, subtracting {@code sub} from every score on the way. */
    private void extraqAddSortUpdate(SedfVcpu e, int i, long sub) {
        List<SedfVcpu> q = cpu(e).extraq[i];
        int pos = 0;
        for (; pos < q.size(); pos++) {
            SedfVcpu cur = q.get(pos);
            cur.score[i] -= sub;
            if (e.score[i] < cur.score[i]) break;
        }
        if (sub != 0) for (int j = pos + 1; j < q.size(); j++) q.get(j).score[i] -= sub;
        q.add(pos, e);
        e.extraOn[i] = q;
    }

    private void extraqCheck(SedfVcpu e) {
        if (extraqOn(e, UTIL_Q)) {
            if ((e.status & EXTRA_AWARE) == 0 && !e.extraRuns()) extraqDel(e, UTIL_Q);
        } else if ((e.status & EXTRA_AWARE) != 0 && e.runnable()) {
            extraqAddSortUpdate(e, UTIL_Q, 0);
        }
    }

    private void extraqCheckAddUnblocked(SedfVcpu e) {
        if ((e.status & EXTRA_AWARE) != 0) extraqAddSortUpdate(e, UTIL_Q, 0);
    }

    private static void dropExtra(SedfVcpu e) {
        if (extraqOn(e, PEN_Q)) extraqDel(e, PEN_Q);
        if (extraqOn(e, UTIL_Q)) extraqDel(e, UTIL_Q);
    }

    // ---- pCPUs, domains, vCPUs --------------------------------------------------------------

    @Override
    public void addPcpu(int cpu) {
        cpus.put(cpu, new Cpu());
    }

    @Override
    public void removePcpu(int cpu) {
        cpus.remove(cpu);
    }

    @Override
    public void addDomain(SchedDomain dom, Map<String, Long> params) {
        SedfParams p = SedfParams.of(params, SedfParams.BEST_EFFORT);
        // getinfo does not round-trip (best effort reads back as slice 0): map it to its putinfo.
        if (p.weight() == 0 && p.slice() == 0) p = null;
        else {
            try {
                p.validate();
            } catch (IllegalArgumentException e) {
                ctx.printk("sedf: d" + dom.id() + ": " + e.getMessage() + "; the domain starts best effort");
                p = null;
            }
        }
        domains.put(dom, p);
    }

    @Override
    public void removeDomain(SchedDomain dom) {
        domains.remove(dom);
    }

    @Override
    public void insertVcpu(SchedVcpu v) {
        SedfVcpu e = new SedfVcpu(v);
        v.setSchedData(e);
        vcpus.put(v, e);
        SedfParams p = domains.get(v.domain());
        if (p != null) {
            apply(List.of(e), p);
            adjustWeights();
            finishPut(List.of(e), p);
        }
        extraqCheck(e);
    }

    @Override
    public void removeVcpu(SchedVcpu v) {
        SedfVcpu e = vcpus.remove(v);
        if (e == null) return;
        if (onQueue(e)) delFromQueue(e);
        dropExtra(e);
        for (Cpu c : cpus.values()) if (c.chosen == e) c.chosen = null;
    }

    @Override
    public int pickCpu(SchedVcpu v) {
        // cpumask_cycle(vcpu_id % weight(online_affinity) - 1, online_affinity): the (id mod n)-th allowed pCPU
        CpuMask.Builder b = CpuMask.builder();
        for (int c : cpus.keySet()) if (v.hardAffinity().contains(c)) b.set(c);
        CpuMask online = b.build();
        if (online.isEmpty()) return cpus.keySet().iterator().next();
        int n = v.vcpuId() % online.cardinality(), cpu = online.first();
        for (int i = 0; i < n; i++) cpu = online.nextSetBit(cpu + 1);
        return cpu;
    }

    // ---- sleep / wake ---------------------------------------------------------------------------

    @Override
    public void sleep(SchedVcpu v) {
        SedfVcpu e = inf(v);
        e.status |= SEDF_ASLEEP;
        Cpu c = cpus.get(v.processor());
        if (c != null && c.chosen == e && v.isRunning()) {
            ctx.tickle(v.processor());
        } else {
            if (onQueue(e)) delFromQueue(e);
            dropExtra(e);
        }
    }

    @Override
    public void wake(SchedVcpu v) {
        long now = ctx.now();
        SedfVcpu e = inf(v);
        if (onQueue(e)) {
            // It slept while running and wakes before its pCPU rescheduled: still queued. Xen returns
            // here with SEDF_ASLEEP left set, and do_schedule then drops the runnable vCPU from every
            // queue until its next wake (a lost wake-up); hvkit keeps it runnable instead.
            e.status &= ~SEDF_ASLEEP;
            return;
        }
        e.status &= ~SEDF_ASLEEP;
        if (e.deadlAbs == 0) e.deadlAbs = now + e.slice; // initial setup of the deadline
        if (now < e.periodBegin()) {
            // unblocking in extra time: another chance on the penalty queue
            if ((e.status & EXTRA_WANT_PEN_Q) != 0) extraqAddSortUpdate(e, PEN_Q, 0);
            extraqCheckAddUnblocked(e);
        } else if (now < e.deadlAbs) {
            unblockShortExtraSupport(e);
            extraqCheckAddUnblocked(e);
        } else {
            // long block (conservative 2b): the unblocking starts a new period
            e.deadlAbs = now + e.period;
            e.cputime = 0;
            extraqCheckAddUnblocked(e);
        }
        if (e.periodBegin() > now) addToWaitq(e);
        else addToRunq(e);
        Cpu c = cpus.get(v.processor());
        if (c != null && shouldSwitch(c, e)) ctx.tickle(v.processor());
    }

    /** A short block: no more real time this period, and the lost slice as penalty extra time. */
    private void unblockShortExtraSupport(SedfVcpu e) {
        e.deadlAbs += e.period;
        if (e.blockAbs != 0) {
            e.shortBlockLostTot = Math.max(0, e.slice - e.cputime);
            if (e.shortBlockLostTot != 0) {
                e.score[PEN_Q] = (e.period << 10) / e.shortBlockLostTot;
                if (extraqOn(e, PEN_Q)) extraqDel(e, PEN_Q);
                else e.status |= EXTRA_WANT_PEN_Q;
                extraqAddSortUpdate(e, PEN_Q, 0);
            }
        }
        e.cputime = 0;
    }

    /** should_switch: EDF > L0 extra time > L1 extra time > idle; earlier period starts first. */
    private boolean shouldSwitch(Cpu c, SedfVcpu other) {
        if (other.periodBegin() < c.currentSliceExpires) return true;
        SedfVcpu cur = c.chosen;
        if (cur == null) return true;
        if ((cur.status & EXTRA_RUN_PEN) != 0) {
            return (other.status & EXTRA_WANT_PEN_Q) != 0 && other.score[PEN_Q] < cur.score[PEN_Q];
        }
        if ((cur.status & EXTRA_RUN_UTIL) != 0) return (other.status & EXTRA_WANT_PEN_Q) != 0;
        return false; // a running EDF domain is not interrupted
    }

    @Override
    public void yield(SchedVcpu v) {
        // sedf has no yield hook: the vCPU stays where EDF put it
    }

    @Override
    public void contextSaved(SchedVcpu v) {
        Cpu c = cpus.get(v.processor());
        if (c != null && c.chosen == inf(v)) c.stoppedAt = ctx.now(); // taken off by the core, not by us
    }

    // ---- do_schedule ----------------------------------------------------------------------------

    @Override
    public Decision doSchedule(int cpu, long now, SchedVcpu current) {
        Cpu c = cpus.get(cpu);
        SedfVcpu prev = c.chosen;
        if (prev != null) {
            long ranUntil = c.stoppedAt >= 0 ? Math.min(c.stoppedAt, now) : now;
            // Not runnable, or pinned away while it ran (Xen's _VPF_migrating): off every queue here;
            // the core then migrates it, and its wake queues it on the new pCPU.
            if (!prev.v.isRunnable() || !prev.v.hardAffinity().contains(cpu)) prev.status |= SEDF_ASLEEP;
            if ((prev.status & SEDF_ASLEEP) != 0) prev.blockAbs = ranUntil;
            if (prev.extraRuns()) deschedExtra(ranUntil, prev);
            else deschedEdf(ranUntil, prev);
        }
        c.chosen = null;
        c.stoppedAt = -1;
        updateQueues(now, c);

        SedfVcpu next;
        long time;
        if (c.runq.isEmpty() && c.waitq.isEmpty()) {
            next = null;
            time = IDLE_TIME;
        } else if (!c.runq.isEmpty()) {
            next = c.runq.get(0);
            time = next.slice - next.cputime;
            if (!c.waitq.isEmpty()) time = Math.min(now + time, c.waitq.get(0).periodBegin()) - now;
        } else {
            long endXt = c.waitq.get(0).periodBegin();
            next = null;
            time = endXt - now;
            if (endXt - now >= EXTRA_QUANTUM) {
                List<SedfVcpu> q = !c.extraq[PEN_Q].isEmpty() ? c.extraq[PEN_Q] : c.extraq[UTIL_Q];
                if (!q.isEmpty()) {
                    next = q.get(0);
                    next.status |= q == c.extraq[PEN_Q] ? EXTRA_RUN_PEN : EXTRA_RUN_UTIL;
                    time = EXTRA_QUANTUM;
                }
            }
        }
        if (time <= 0) {
            ctx.printk("sedf: cpu " + cpu + ": Ouch! We are seriously BEHIND schedule! " + time);
            time = EXTRA_QUANTUM;
        }
        c.currentSliceExpires = now + time;
        if (next == null) return new Decision(null, time, false);
        next.schedStartAbs = now;
        c.chosen = next;
        return Decision.run(next.v, time);
    }

    /** desched_edf_dom: account the slice; a finished slice moves the deadline on a period. */
    private void deschedEdf(long now, SedfVcpu e) {
        e.cputime += now - e.schedStartAbs;
        if (e.cputime < e.slice && e.runnable()) return;
        if (onQueue(e)) delFromQueue(e);
        if (e.cputime >= e.slice) {
            e.cputime -= e.slice;
            if (e.period < e.periodOrig) {
                e.period *= 2;
                e.slice *= 2;
                if (e.period > e.periodOrig || e.slice > e.sliceOrig) {
                    e.period = e.periodOrig;
                    e.slice = e.sliceOrig;
                }
            }
            e.deadlAbs += e.period;
        }
        if (e.runnable()) addToWaitq(e);
        else dropExtra(e);
    }

    /** desched_extra_dom: requeue by the new score, or leave every queue when blocked. */
    private void deschedExtra(long now, SedfVcpu e) {
        int i = e.extraCurQ();
        e.status &= ~(EXTRA_RUN_PEN | EXTRA_RUN_UTIL);
        e.cputime = 0;
        e.extraTimeTot += now - e.schedStartAbs;
        if (extraqOn(e, i)) extraqDel(e, i);
        long oldscore = e.score[i];
        if (i == PEN_Q) {
            // the block penalty is paid back at once (Xen's choice, so no domain can steal the CPU)
            e.shortBlockLostTot = 0;
            e.status &= ~EXTRA_WANT_PEN_Q;
        } else if (e.extraweight == 0) {
            e.score[UTIL_Q] = e.slice == 0 ? 1L << 17 : (e.period << 10) / e.slice;
        } else {
            e.score[UTIL_Q] = (1L << 17) / e.extraweight; // 100 % utilisation is worth extraweight 128
        }
        if (e.runnable()) {
            if (((e.status & EXTRA_AWARE) != 0 && i == UTIL_Q) || ((e.status & EXTRA_WANT_PEN_Q) != 0 && i == PEN_Q)) {
                extraqAddSortUpdate(e, i, oldscore);
            }
        } else {
            if (onQueue(e)) delFromQueue(e);
            dropExtra(e);
        }
    }

    /** update_queues: waiters whose period began go to the runq; the runq loses stale entries. */
    private void updateQueues(long now, Cpu c) {
        while (!c.waitq.isEmpty() && c.waitq.get(0).periodBegin() <= now) {
            SedfVcpu e = c.waitq.get(0);
            delFromQueue(e);
            addToRunq(e);
        }
        while (!c.runq.isEmpty()) {
            SedfVcpu e = c.runq.get(0);
            if (e.slice == 0) {
                // best effort: no real time, only its next period (extra time in between)
                delFromQueue(e);
                e.deadlAbs += e.period;
                if (e.periodBegin() < now) e.deadlAbs += divUp(now - e.periodBegin(), e.period) * e.period;
                addToWaitq(e);
            } else if (e.deadlAbs < now || e.cputime > e.slice) {
                ctx.printk("\tDomain " + e.v.domain().id() + "." + e.v.vcpuId() + " exceeded it's deadline/slice ("
                        + e.deadlAbs + " / " + e.slice + ") now: " + now + " cputime: " + e.cputime);
                delFromQueue(e);
                e.deadlAbs += e.period;
                if (e.deadlAbs < now) e.deadlAbs += divUp(now - e.deadlAbs, e.period) * e.period;
                e.cputime = 0;
                if (e.periodBegin() > now) addToWaitq(e);
                else addToRunq(e);
            } else {
                break;
            }
        }
    }

    private static long divUp(long x, long y) {
        return (x + y - 1) / y;
    }

    // ---- parameters (sedf_adjust) -----------------------------------------------------------

    @Override
    public Map<String, Long> getDomainParams(SchedDomain dom) {
        for (SchedVcpu v : dom.vcpus()) {
            SedfVcpu e = vcpus.get(v);
            if (e != null) return e.params().asMap(); // Xen reports vCPU 0's
        }
        SedfParams p = domains.get(dom);
        return (p == null ? SedfParams.BEST_EFFORT : p).asMap();
    }

    @Override
    public void setDomainParams(SchedDomain dom, Map<String, Long> params) {
        SedfParams p = SedfParams.of(libxlRule(params), SedfParams.of(getDomainParams(dom), SedfParams.BEST_EFFORT));
        p.validate(); // before anything changes
        domains.put(dom, p);
        List<SedfVcpu> mine = new ArrayList<>();
        for (SchedVcpu v : dom.vcpus()) if (vcpus.containsKey(v)) mine.add(vcpus.get(v));
        apply(mine, p);
        adjustWeights();
        finishPut(mine, p);
    }

    /**
     * libxl 4.2's rule for a partial set (sched_params_valid, xl sched-sedf): a weight alone means
     * period = slice = 0, a period or slice alone means weight = 0. So {@code weight=} in xl.cfg
     * makes a best-effort domain with that extra weight, as in Xen. A full set is taken as is.
     */
    private static Map<String, Long> libxlRule(Map<String, Long> params) {
        boolean w = params.containsKey("weight"), ps = params.containsKey("period") || params.containsKey("slice");
        if (w == ps) return params;
        Map<String, Long> m = new TreeMap<>(params);
        if (w) {
            m.put("period", 0L);
            m.put("slice", 0L);
        } else {
            m.put("weight", 0L);
        }
        return m;
    }

    /** The putinfo branch of sedf_adjust for a domain's vCPUs; validated already. */
    private static void apply(List<SedfVcpu> mine, SedfParams p) {
        for (SedfVcpu e : mine) {
            if (p.weight() != 0) {
                if (p.extraAware() && p.period() == 0) {
                    e.extraweight = p.weight(); // weight-driven, extra time only
                    e.weight = 0;
                    e.slice = 0;
                    e.period = SedfParams.WEIGHT_PERIOD;
                } else {
                    e.weight = p.weight(); // weight-driven real time: adjustWeights gives the slice
                }
            } else {
                e.weight = 0;
                e.extraweight = 0;
                e.period = e.periodOrig = p.period();
                e.slice = e.sliceOrig = p.slice();
            }
        }
    }

    private void finishPut(List<SedfVcpu> mine, SedfParams p) {
        for (SedfVcpu e : mine) {
            e.status = (e.status & ~EXTRA_AWARE) | (int) (p.extratime() & EXTRA_AWARE);
            e.latency = p.latency();
            extraqCheck(e);
        }
    }

    /** sedf_adjust_weights: per pCPU, weighted vCPUs share what the time-driven ones leave of 95 ms in 100. */
    private void adjustWeights() {
        Map<Integer, long[]> sum = new HashMap<>(); // cpu -> {sum of weights, time of the others per 100 ms}
        for (SedfVcpu e : vcpus.values()) {
            long[] s = sum.computeIfAbsent(e.v.processor(), k -> new long[2]);
            if (e.weight != 0) s[0] += e.weight;
            else if (e.periodOrig != 0) s[1] += SedfParams.WEIGHT_PERIOD * e.sliceOrig / e.periodOrig;
        }
        for (SedfVcpu e : vcpus.values()) {
            if (e.weight == 0) continue;
            long[] s = sum.get(e.v.processor());
            e.period = e.periodOrig = SedfParams.WEIGHT_PERIOD;
            e.slice = e.sliceOrig = Math.max(0, e.weight * (SedfParams.WEIGHT_PERIOD - SedfParams.WEIGHT_SAFETY - s[1]) / s[0]);
        }
    }

    @Override
    public Map<String, Long> getPoolParams() {
        return Map.of();
    }

    @Override
    public void setPoolParams(Map<String, Long> params) {
        if (!params.isEmpty()) throw new IllegalArgumentException("sedf has no pool parameters: " + params.keySet());
    }

    // ---- dump (sedf_dump_cpu_state) ---------------------------------------------------------

    @Override
    public void dump(PrintWriter out) {
        out.println("Scheduler: Simple EDF Scheduler (sedf)");
        for (var en : cpus.entrySet()) {
            Cpu c = en.getValue();
            out.println("CPU[" + en.getKey() + "] now=" + ctx.now());
            dumpQueue(out, "RUNQ", c.runq);
            dumpQueue(out, "WAITQ", c.waitq);
            dumpQueue(out, "EXTRAQ (penalty)", c.extraq[PEN_Q]);
            dumpQueue(out, "EXTRAQ (utilization)", c.extraq[UTIL_Q]);
        }
    }

    private static void dumpQueue(PrintWriter out, String name, List<SedfVcpu> q) {
        out.println(name);
        int i = 0;
        for (SedfVcpu e : q) {
            out.printf("%3d: %d.%d has=%c p=%d sl=%d ddl=%d w=%d sc=%d xtr(%s)=%d ew=%d%n", i++, e.v.domain().id(), e.v.vcpuId(),
                    e.v.isRunning() ? 'T' : 'F', e.period, e.slice, e.deadlAbs, e.weight, e.score[UTIL_Q],
                    (e.status & EXTRA_AWARE) != 0 ? "yes" : "no", e.extraTimeTot, e.extraweight);
        }
    }

    @Override
    public void shutdown() {
        cpus.clear();
        vcpus.clear();
    }
}
