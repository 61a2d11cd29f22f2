package org.hvkit.sched.credit2.internal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedDomain;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.WeightAndCap;

/**
 * One instance of Xen's credit2 (current Xen): credit is virtual time in ns, burned at
 * max_weight/weight; runqueues (per socket by default, at most 16 pCPUs each) ordered by credit;
 * a credit reset when neither the chosen vCPU nor the head of the runqueue has any left; slices
 * until credits equalise with the head of the runqueue, clamped to [MIN_TIMER, MAX_TIMER];
 * tickling idle pCPUs first, then the busy pCPU where the newcomer scores best against
 * up-to-date credit (tickle_score), the tickled pCPU's vCPU reserved for it, and preempted vCPUs
 * put back in the runqueue and tickled only after the switch (context_saved); migrate resistance
 * and compensation; load tracking and balancing between runqueues; caps by a 10 ms budget with parking;
 * ratelimit. The core serialises every call, so nothing here locks.
 */
final class Credit2Scheduler implements Scheduler {
    static final long CREDIT_INIT = 10_000_000L;
    static final long CREDIT_MIN = -CREDIT_INIT;
    static final long CARRYOVER_MAX = 500_000L;
    static final long MIN_TIMER = 500_000L;
    static final long MAX_TIMER = CREDIT_INIT;
    static final long MIGRATE_RESIST = 500_000L;
    /** Credit a vCPU gets for being moved to another pCPU (Xen HEAD's CSCHED2_MIGRATE_COMPENSATION). */
    static final long MIGRATE_COMPENSATION = 50_000L;
    static final long CAP_PERIOD = 10_000_000L;
    static final int MAX_CPUS_PER_RUNQ = 16;
    /** Load average window, 2^30 ns, as current Xen. */
    static final int LOAD_WINDOW_SHIFT = 30;
    /** Xen's credit2_balance_under (0: a whole vCPU) and credit2_balance_over (-3: an eighth). */
    static final int BALANCE_UNDER = 0, BALANCE_OVER = -3;
    /** Swap pairs examined per balance at most (Xen examines all; this bounds the cost on huge runqueues). */
    static final int MAX_SWAP_PAIRS = 4096;

    enum Arrangement { CPU, CORE, SOCKET, NODE, ALL }

    private final SchedulerContext ctx;
    private final HostTopology topo;
    private final Arrangement arrangement;
    private final C2Pcpu[] pcpus;
    /**
     * Per host pCPU: its runqueue and the vCPU it runs (null when idle or not in the pool). Dense
     * arrays rather than fields of the per-pCPU objects: the hot paths read them for many pCPUs.
     */
    private final C2Runq[] runqOf;
    private final C2Vcpu[] currentOf;
    /** Per host pCPU: runs idle, and was tickled (so it is not counted as idle again before it schedules). */
    private final boolean[] idle, tickled;
    private final List<C2Runq> runqs = new ArrayList<>();
    private long ratelimitUs;
    private final List<C2Domain> domains = new ArrayList<>();
    /** The vCPU being chosen while a balance runs: it is about to run here, so it stays. */
    private C2Vcpu balancing;
    /** Scratch for balanceLoad: the other runqueue's members' load averages and whether each may come here. */
    private long[] pullLoad = new long[64];
    private boolean[] pullable = new boolean[64];
    /** Per host pCPU: its hyperthread siblings (itself included), as tickle walks them. */
    private final int[][] siblings;

    Credit2Scheduler(SchedulerContext ctx, Map<String, Long> poolParams, Arrangement arrangement) {
        this.ctx = ctx;
        this.topo = ctx.topology();
        this.arrangement = arrangement;
        this.pcpus = new C2Pcpu[topo.nrCpus()];
        this.runqOf = new C2Runq[topo.nrCpus()];
        this.currentOf = new C2Vcpu[topo.nrCpus()];
        this.idle = new boolean[topo.nrCpus()];
        this.tickled = new boolean[topo.nrCpus()];
        this.siblings = new int[topo.nrCpus()][];
        long r = poolParams.getOrDefault("ratelimit_us", 1000L);
        checkRatelimit(r);
        this.ratelimitUs = r;
    }

    private static void checkRatelimit(long r) {
        if (r != 0 && (r < 100 || r > 500000)) throw new IllegalArgumentException("ratelimit_us " + r + " out of range, valid values are 0 (off) or within range from 100 to 500000");
    }

    private static C2Vcpu svc(SchedVcpu v) {
        return (C2Vcpu) v.schedData();
    }

    // ------------------------------------------------------------------ runqueue arrangement

    /** The key of the runqueue a pCPU belongs to under the arrangement. */
    private int groupOf(int cpu) {
        return switch (arrangement) {
            case CPU -> cpu;
            case CORE -> topo.coreOf(cpu);
            case SOCKET -> topo.socketOf(cpu);
            case NODE -> topo.nodeOf(cpu);
            case ALL -> 0;
        };
    }

    @Override
    public void addPcpu(int cpu) {
        int group = groupOf(cpu);
        C2Runq best = null;
        for (C2Runq q : runqs) {
            if (q.group != group) continue;
            // keep hyperthread siblings together even past the cap; else the least populated runqueue of the group
            if (q.cpuCount() >= MAX_CPUS_PER_RUNQ && !q.cpus.intersects(topo.threadSiblings(cpu))) continue;
            if (best == null || q.cpuCount() < best.cpuCount()) best = q;
        }
        if (best == null) {
            best = new C2Runq(runqs.size(), group);
            runqs.add(best);
        }
        C2Pcpu p = new C2Pcpu(cpu, best);
        pcpus[cpu] = p;
        runqOf[cpu] = best;
        currentOf[cpu] = null;
        if (siblings[cpu] == null) siblings[cpu] = topo.threadSiblings(cpu).toArray();
        best.setCpus(best.cpus.with(cpu));
        idle[cpu] = true;
        p.timer = ctx.createTimer(cpu, now -> { });
    }

    @Override
    public void removePcpu(int cpu) {
        C2Pcpu p = pcpus[cpu];
        if (p == null) return;
        C2Runq q = p.runq;
        q.setCpus(q.cpus.without(cpu));
        idle[cpu] = false;
        tickled[cpu] = false;
        pcpus[cpu] = null;
        runqOf[cpu] = null;
        currentOf[cpu] = null;
        if (q.cpus.isEmpty()) {
            // its vCPUs go to another runqueue
            List<C2Vcpu> orphans = q.queueList();
            for (C2Vcpu s : orphans) q.dequeue(s);
            for (C2Vcpu s : new ArrayList<>(q.members)) s.runq = null;
            q.members.clear();
            runqs.remove(q);
            for (C2Vcpu s : orphans) {
                C2Runq to = leastLoaded(s.vcpu.hardAffinity());
                if (to != null) assign(s, to, ctx.now());
            }
        }
    }

    // ------------------------------------------------------------------ domains and vCPUs

    @Override
    public void addDomain(SchedDomain dom, Map<String, Long> params) {
        C2Domain d = new C2Domain(dom, params.getOrDefault("weight", 256L).intValue(), params.getOrDefault("cap", 0L).intValue());
        dom.setSchedData(d);
        domains.add(d);
        if (d.cap > 0) startBudget(d);
    }

    @Override
    public void removeDomain(SchedDomain dom) {
        C2Domain d = (C2Domain) dom.schedData();
        if (d == null) return;
        if (d.replenish != null) d.replenish.stop();
        domains.remove(d);
        dom.setSchedData(null);
    }

    @Override
    public void insertVcpu(SchedVcpu v) {
        C2Domain d = (C2Domain) v.domain().schedData();
        C2Vcpu s = new C2Vcpu(v, d);
        v.setSchedData(s);
        d.vcpus.add(s);
        s.credit = CREDIT_INIT;
        C2Pcpu p = pcpus[v.processor()];
        assign(s, p != null ? p.runq : leastLoaded(v.hardAffinity()), ctx.now());
    }

    @Override
    public void removeVcpu(SchedVcpu v) {
        C2Vcpu s = svc(v);
        if (s == null) return;
        if (s.queued) s.runq.dequeue(s);
        if (s.runq != null) unassign(s, ctx.now());
        s.dom.vcpus.remove(s);
        for (int c = 0; c < currentOf.length; c++) if (currentOf[c] == s) currentOf[c] = null;
        v.setSchedData(null);
    }

    /** Puts a vCPU on a runqueue's books: weight and load accounting. */
    private void assign(C2Vcpu s, C2Runq q, long now) {
        if (q == null) return;
        s.runq = q;
        q.updateLoad(now, s.awake ? 1 : 0);
        q.assigned++;
        q.members.add(s);
        q.maxWeight = Math.max(q.maxWeight, s.weight);
    }

    private void unassign(C2Vcpu s, long now) {
        C2Runq q = s.runq;
        q.updateLoad(now, s.awake ? -1 : 0);
        q.assigned--;
        q.members.remove(s);
        s.runq = null;
        if (s.weight >= q.maxWeight) recomputeMaxWeight(q);
    }

    private void recomputeMaxWeight(C2Runq q) {
        int max = 1;
        for (C2Vcpu s : q.members) max = Math.max(max, s.weight);
        q.maxWeight = max;
    }

    // ------------------------------------------------------------------ credit

    /** Burns credit for run time, at max_weight/weight of the runqueue (the heaviest burns 1 per ns). */
    private void burn(C2Vcpu s, long now) {
        long delta = now - s.lastBurn;
        if (delta <= 0 || s.runq == null) return;
        s.lastBurn = now;
        s.credit -= delta * s.runq.maxWeight / s.weight;
        if (s.credit < CREDIT_MIN) s.credit = CREDIT_MIN;
        if (s.queued) s.runq.creditChanged(s);
        if (s.cap > 0) {
            s.budget -= delta;
            if (s.budget <= 0) s.dom.budget += s.budget; // overdraft comes from the domain
        }
    }

    /**
     * Xen's credit reset: every vCPU of the runqueue gets CREDIT_INIT more, clipped to CREDIT_INIT +
     * CARRYOVER_MAX. Those running elsewhere in the runqueue are charged for their run so far first
     * (a capped one that used up its budget doing so is told to stop), as in Xen.
     */
    private void resetCredit(C2Runq q, C2Vcpu chosen, long now) {
        for (int c : q.cpuList) {
            C2Vcpu running = currentOf[c];
            if (running == null || running == chosen || running.runq != q) continue;
            burn(running, now);
            if (running.cap > 0 && running.budget <= 0) {
                tickled[c] = true;
                ctx.tickle(c);
            }
        }
        long add = chosen.credit <= CREDIT_MIN ? 2 * CREDIT_INIT : CREDIT_INIT;
        // adding the same amount and clipping at one ceiling keeps the queue's order: no re-sort
        for (int i = 0; i < q.members.size(); i++) {
            C2Vcpu s = q.members.get(i);
            s.credit = Math.min(s.credit + add, CREDIT_INIT + CARRYOVER_MAX);
        }
        q.creditsChanged();
        q.resets++;
    }

    // ------------------------------------------------------------------ caps

    private void startBudget(C2Domain d) {
        d.budget = d.cap * CAP_PERIOD / 100;
        if (d.replenish == null) {
            d.replenish = ctx.createTimer(firstCpu(), now -> replenish(d, now));
            d.replenish.set(ctx.now() + CAP_PERIOD);
        }
    }

    private int firstCpu() {
        for (C2Pcpu p : pcpus) if (p != null) return p.cpu;
        return 0;
    }

    /** Every cap period the domain's budget is refilled (not accumulated) and parked vCPUs return. */
    private void replenish(C2Domain d, long now) {
        d.replenish.set(now + CAP_PERIOD);
        d.budget = Math.min(d.budget + d.cap * CAP_PERIOD / 100, d.cap * CAP_PERIOD / 100);
        for (C2Vcpu s : d.vcpus) {
            if (s.parked) {
                s.parked = false;
                if (s.vcpu.isRunnable() && !s.vcpu.isRunning()) enqueueAndTickle(s, now);
            }
        }
    }

    /** A capped vCPU takes a quota from its domain before running; none left means it parks. */
    private boolean grabBudget(C2Vcpu s) {
        C2Domain d = s.dom;
        if (d.cap == 0) return true;
        if (s.budget > 0) return true;
        if (d.budget <= 0) return false;
        long quota = Math.max(d.cap * CAP_PERIOD / 100 / Math.max(1, d.vcpus.size()), MIN_TIMER);
        quota = Math.min(quota, d.budget);
        d.budget -= quota;
        s.budget = quota;
        return true;
    }

    private void returnBudget(C2Vcpu s) {
        if (s.cap > 0 && s.budget > 0) {
            s.dom.budget += s.budget;
            s.budget = 0;
        }
    }

    // ------------------------------------------------------------------ sleep, wake, tickle

    @Override
    public void sleep(SchedVcpu v) {
        C2Vcpu s = svc(v);
        int pc = v.processor();
        if (currentOf[pc] == s) ctx.tickle(pc);
        else if (s.queued) s.runq.dequeue(s);
        long now = ctx.now();
        if (s.awake) {
            s.updateLoad(now, true);
            s.awake = false;
            if (s.runq != null) s.runq.updateLoad(now, -1);
        }
    }

    @Override
    public void wake(SchedVcpu v) {
        C2Vcpu s = svc(v);
        long now = ctx.now();
        if (!s.awake) {
            s.updateLoad(now, false);
            s.awake = true;
            if (s.runq != null) s.runq.updateLoad(now, +1);
        }
        if (v.isRunning() || s.queued || s.parked) return;
        enqueueAndTickle(s, ctx.now());
    }

    private void enqueueAndTickle(C2Vcpu s, long now) {
        if (s.runq == null) assign(s, leastLoaded(s.vcpu.hardAffinity()), now);
        if (s.runq == null) return;
        if (!s.queued) s.runq.enqueue(s);
        tickle(s, now);
    }

    /** Xen's runq_tickle: an idle, untickled pCPU of the runqueue the vCPU may use; else preempt the lowest credit if worth it. */
    private void tickle(C2Vcpu s, long now) {
        C2Runq q = s.runq;
        CpuMask hard = s.vcpu.hardAffinity();
        CpuMask soft = s.vcpu.softAffinity();
        // an idle, untickled pCPU: a fully idle core in soft affinity first, then soft, then fully idle, then any
        int prev = s.vcpu.processor(), best = -1, bestRank = Integer.MAX_VALUE;
        for (int c : q.cpuList) {
            if (!idle[c] || tickled[c] || !hard.contains(c)) continue;
            boolean fully = true;
            for (int t : siblings[c]) if (!idle[t]) fully = false;
            int rank = (soft.contains(c) ? 0 : 2) + (fully ? 0 : 1);
            if (rank < bestRank || (rank == bestRank && c == prev)) {
                bestRank = rank;
                best = c;
            }
        }
        if (best >= 0) {
            tickleFor(s, best);
            return;
        }
        // preemption: the busy, untickled pCPU where the newcomer scores best; its own pCPU first,
        // taken at once when the score is positive and the pCPU is in its soft affinity
        int bestCpu = -1;
        long bestScore = 0;
        if (runqOf[prev] == q && !idle[prev] && !tickled[prev] && hard.contains(prev)) {
            long score = tickleScore(s, prev, soft, now);
            if (score > 0 && soft.contains(prev)) {
                tickleFor(s, prev);
                return;
            }
            if (score > bestScore) {
                bestScore = score;
                bestCpu = prev;
            }
        }
        for (int c : q.cpuList) {
            if (c == prev || idle[c] || tickled[c] || !hard.contains(c)) continue;
            long score = tickleScore(s, c, soft, now);
            if (score > bestScore) {
                bestScore = score;
                bestCpu = c;
            }
        }
        if (bestCpu >= 0) tickleFor(s, bestCpu);
    }

    /** Tickles {@code cpu} to pick {@code s} up, reserving it there until that pCPU schedules (Xen's tickled_cpu). */
    private void tickleFor(C2Vcpu s, int cpu) {
        tickled[cpu] = true;
        s.tickledCpu = cpu;
        ctx.tickle(cpu);
    }

    /**
     * Xen's tickle_score: by how much {@code s} beats the vCPU running on busy pCPU {@code c}, whose
     * credit is first brought up to date; less MIGRATE_RESIST if {@code c} is not where {@code s}
     * last ran; if positive, CREDIT_INIT more when {@code c} is in {@code s}'s soft affinity and
     * again when it is outside the running vCPU's. -1 leaves {@code c} alone (nothing to preempt,
     * or its vCPU is inside the ratelimit, less a 50 us tolerance).
     */
    private long tickleScore(C2Vcpu s, int c, CpuMask soft, long now) {
        C2Vcpu cur = currentOf[c];
        if (cur == null) return -1;
        if (ratelimitUs > 0 && now - cur.runStart < ratelimitUs * 1000L - 50_000L) return -1;
        burn(cur, now);
        long score = s.credit - cur.credit - (c == s.vcpu.processor() ? 0 : MIGRATE_RESIST);
        if (score > 0) {
            if (soft.contains(c)) score += CREDIT_INIT;
            if (!cur.vcpu.softAffinity().contains(c)) score += CREDIT_INIT;
        }
        return score;
    }

    @Override
    public void yield(SchedVcpu v) {
        svc(v).yielding = true;
    }

    @Override
    public void contextSaved(SchedVcpu v) {
        C2Vcpu s = svc(v);
        int pc = v.processor();
        if (s != null && currentOf[pc] == s && !v.isRunning()) currentOf[pc] = null;
    }

    // ------------------------------------------------------------------ do_schedule

    @Override
    public Decision doSchedule(int cpu, long now, SchedVcpu current) {
        C2Runq q = runqOf[cpu];
        tickled[cpu] = false;
        C2Vcpu cur = current == null ? null : svc(current);
        if (cur != null) burn(cur, now);
        boolean curRunnable = cur != null && current.isRunnable() && !cur.parked && cur.runq == q && current.hardAffinity().contains(cpu);
        if (curRunnable && cur.cap > 0 && cur.budget <= 0 && !grabBudget(cur)) {
            cur.parked = true;
            curRunnable = false;
        }
        boolean yielded = cur != null && cur.yielding;
        if (cur != null) cur.yielding = false;
        // ratelimit: keep a vCPU that has only just started; its time slice is worked out as for any other
        boolean rateLimited = curRunnable && ratelimitUs > 0 && !yielded && now - cur.runStart < ratelimitUs * 1000L;
        C2Vcpu next = rateLimited ? cur : candidate(q, cpu, cur, curRunnable, yielded);
        // Xen's delayed_runq_add: a preempted current goes back into the runqueue only once it is off
        // the pCPU (context_saved), so the reset check, balancing and the time slice below do not see it
        boolean requeue = cur != null && cur != next && curRunnable && !cur.queued;
        if (cur != null && cur != next) returnBudget(cur);
        if (next != null && next.queued) q.dequeue(next);
        // a new epoch when neither the chosen vCPU nor the head of the runqueue has credit left
        if (next != null && Math.max(next.credit, q.queueSize() == 0 ? Long.MIN_VALUE : q.queuedCredit(0)) <= 0) {
            resetCredit(q, next, now);
            balancing = next;
            balanceLoad(q, now);
            balancing = null;
        }
        currentOf[cpu] = next;
        idle[cpu] = next == null;
        Decision d = Decision.IDLE;
        if (next != null) {
            next.tickledCpu = -1;
            boolean migrated = next.vcpu.processor() != cpu;
            if (migrated) {
                next.credit += MIGRATE_COMPENSATION;
                next.vcpu.setProcessor(cpu);
            }
            if (next != cur) next.runStart = now;
            next.lastBurn = now;
            // a fresh decision, not one kept from before: the core reads it at once, and a new object is in
            // cache where an old one of each of thousands of vCPUs is not (reuse cost 15% of B10's run time)
            d = new Decision(next.vcpu, slice(q, next, now), migrated);
        }
        if (requeue) {
            q.enqueue(cur);
            tickle(cur, now);
        }
        return d;
    }

    /** Xen's runq_candidate: the highest-credit vCPU of the runqueue this pCPU may run, or current if it has more. */
    private C2Vcpu candidate(C2Runq q, int cpu, C2Vcpu cur, boolean curRunnable, boolean yielded) {
        // current runs outside its soft affinity while a pCPU of it is free: default to idle, so it goes there
        boolean keepCur = curRunnable && (cur.vcpu.softAffinity().contains(cpu) || !idleUntickledIn(q, cur.vcpu.softAffinity()));
        C2Vcpu def = keepCur ? cur : null; // Xen's default snext (null: idle)
        for (int i = 0; i < q.queueSize(); i++) {
            // the queue is in credit order: past this point nobody beats the default (a yielding one is beaten by anyone)
            if (def != null && !yielded && q.queuedCredit(i) <= def.credit) break;
            C2Vcpu s = q.queued(i);
            SchedVcpu v = s.vcpu;
            if (!v.hardAffinity().contains(cpu)) continue;
            // reserved for another pCPU that was tickled to run it and has not scheduled yet
            if (s.tickledCpu >= 0 && s.tickledCpu != cpu && tickled[s.tickledCpu]) continue;
            if (v.isRunning() && s != cur) continue;
            // migrate resistance: a vCPU last run elsewhere needs a margin over the default (yielding or not) to move here
            if (v.processor() != cpu && def != null && s.credit - def.credit < MIGRATE_RESIST) continue;
            if (s.cap > 0 && !grabBudget(s)) {
                q.dequeue(s);
                s.parked = true;
                i--;
                continue;
            }
            return s;
        }
        return def;
    }

    /** Whether a pCPU of {@code q} in {@code mask} is idle and not tickled. */
    private boolean idleUntickledIn(C2Runq q, CpuMask mask) {
        for (int c : q.cpuList) if (idle[c] && !tickled[c] && mask.contains(c)) return true;
        return false;
    }

    /** Run until credits equalise with the next in line, within [MIN_TIMER, MAX_TIMER]; never beyond a cap's budget. */
    private long slice(C2Runq q, C2Vcpu s, long now) {
        long time = s.credit * s.weight / Math.max(1, q.maxWeight);
        C2Vcpu head = q.queueSize() == 0 ? null : q.queued(0);
        if (head != null && q.queuedCredit(0) > 0 && head != s) time = (s.credit - q.queuedCredit(0)) * s.weight / Math.max(1, q.maxWeight);
        if (s.cap > 0) time = Math.min(time, s.budget);
        long min = Math.max(MIN_TIMER, ratelimitUs * 1000L - (now - s.runStart));
        return Math.min(MAX_TIMER, Math.max(min, time));
    }

    // ------------------------------------------------------------------ load balancing and placement

    private C2Runq leastLoaded(CpuMask hard) {
        C2Runq best = null;
        for (C2Runq q : runqs) {
            if (!q.allowsAny(hard)) continue;
            if (best == null || q.avgLoad * best.cpuCount() < best.avgLoad * q.cpuCount()) best = q;
        }
        return best;
    }

    /**
     * Xen's balance_load after a credit reset: the other runqueue whose load average differs most
     * from this one's; if the difference is worth acting on (a whole vCPU when neither is
     * overloaded, an eighth when one is), the single push, pull or swap of not-running vCPUs that
     * leaves the smallest difference, provided it is smaller than now. Working on averages (and
     * requiring an improvement) is what keeps a vCPU from bouncing between runqueues.
     */
    private void balanceLoad(C2Runq q, long now) {
        if (runqs.size() < 2) return;
        q.updateLoad(now, 0);
        C2Runq other = null;
        long delta = -1;
        for (int i = 0; i < runqs.size(); i++) {
            C2Runq o = runqs.get(i);
            if (o == q) continue;
            o.updateLoad(now, 0);
            long d = Math.abs(q.avgLoad - o.avgLoad);
            if (d > delta) {
                delta = d;
                other = o;
            }
        }
        if (other == null) return;
        long loadMax = Math.max(q.avgLoad, other.avgLoad);
        int cpusMax = Math.max(q.cpuCount(), other.cpuCount());
        long threshold = loadMax < ((long) cpusMax << C2Runq.PRECISION_SHIFT)
                ? 1L << (C2Runq.PRECISION_SHIFT + BALANCE_UNDER) : 1L << (C2Runq.PRECISION_SHIFT + BALANCE_OVER);
        if (delta < threshold) return;
        List<C2Vcpu> qm = q.members, om = other.members;
        int nq = qm.size(), no = om.size();
        for (int i = 0; i < nq; i++) refreshLoad(qm.get(i), now);
        for (int j = 0; j < no; j++) refreshLoad(om.get(j), now);
        // what may move where does not change while the pairs are examined: decide it once per vCPU
        if (pullLoad.length < no) {
            pullLoad = new long[Math.max(no, 2 * pullLoad.length)];
            pullable = new boolean[pullLoad.length];
        }
        long[] bLoad = pullLoad;
        boolean[] canPull = pullable;
        for (int j = 0; j < no; j++) {
            C2Vcpu b = om.get(j);
            bLoad[j] = b.avgLoad;
            canPull[j] = movable(b, q);
        }
        long l = q.avgLoad, o = other.avgLoad, best = delta;
        C2Vcpu push = null, pull = null;
        int pullIdx = -1;
        int examined = 0;
        for (int i = 0; i < nq; i++) {
            C2Vcpu a = qm.get(i);
            boolean canPush = movable(a, other);
            long aLoad = a.avgLoad;
            if (canPush) {
                long d = Math.abs((l - aLoad) - (o + aLoad));
                if (d < best) { best = d; push = a; pullIdx = -1; }
            }
            if (i != 0 && !canPush) continue; // nothing to examine against this one
            for (int j = 0; j < no && examined < MAX_SWAP_PAIRS; j++) {
                if (!canPull[j]) continue;
                long bl = bLoad[j];
                if (i == 0) {
                    long d = Math.abs((l + bl) - (o - bl));
                    if (d < best) { best = d; push = null; pullIdx = j; }
                }
                if (!canPush) continue;
                examined++;
                long d = Math.abs((l - aLoad + bl) - (o - bl + aLoad));
                if (d < best) { best = d; push = a; pullIdx = j; }
            }
        }
        if (nq == 0) {
            for (int j = 0; j < no; j++) {
                if (!canPull[j]) continue;
                long bl = bLoad[j];
                long d = Math.abs((l + bl) - (o - bl));
                if (d < best) { best = d; push = null; pullIdx = j; }
            }
        }
        if (pullIdx >= 0) pull = om.get(pullIdx);
        if (push != null) moveTo(push, other, now);
        if (pull != null) moveTo(pull, q, now);
    }

    private static void refreshLoad(C2Vcpu s, long now) {
        s.updateLoad(now, s.awake);
    }

    /** Whether balancing may move {@code s} to {@code to}: not running, not parked, allowed there. */
    private boolean movable(C2Vcpu s, C2Runq to) {
        return s != balancing && !s.vcpu.isRunning() && !s.parked && to.allowsAny(s.vcpu.hardAffinity());
    }

    /** Moves a not-running vCPU onto another runqueue's books (and queue, if it was queued there). */
    private void moveTo(C2Vcpu s, C2Runq to, long now) {
        boolean wasQueued = s.queued;
        C2Runq from = s.runq;
        if (wasQueued) from.dequeue(s);
        unassign(s, now);
        assign(s, to, now);
        // its share of the averages moves with it, so the next balance sees the move at once
        long share = Math.min(s.avgLoad, from.avgLoad);
        from.avgLoad -= share;
        to.avgLoad += share;
        s.vcpu.setProcessor(idleOrAny(to, s.vcpu.hardAffinity(), s.vcpu.softAffinity(), -1));
        to.migrations++;
        if (wasQueued) {
            to.enqueue(s);
            tickle(s, now);
        }
    }

    @Override
    public int pickCpu(SchedVcpu v) {
        C2Vcpu s = svc(v);
        C2Runq q = s != null && s.runq != null && s.runq.allowsAny(v.hardAffinity()) ? s.runq : leastLoaded(v.hardAffinity());
        if (q == null) return v.processor();
        return idleOrAny(q, v.hardAffinity(), v.softAffinity(), v.processor());
    }

    /** An allowed pCPU of {@code q}: idle and soft-affine, else idle, else any allowed; {@code prefer} wins ties. */
    private int idleOrAny(C2Runq q, CpuMask hard, CpuMask soft, int prefer) {
        int best = -1, bestRank = Integer.MAX_VALUE;
        for (int c : q.cpuList) {
            if (!hard.contains(c)) continue;
            int rank = idle[c] ? (soft.contains(c) ? 0 : 1) : 2;
            if (rank < bestRank || (rank == bestRank && c == prefer)) {
                bestRank = rank;
                best = c;
            }
        }
        return best >= 0 ? best : prefer;
    }

    @Override
    public void affinityChanged(SchedVcpu v) {
        C2Vcpu s = svc(v);
        if (s != null && s.runq != null && !s.runq.allowsAny(v.hardAffinity())) {
            if (s.queued) s.runq.dequeue(s);
            unassign(s, ctx.now());
            assign(s, leastLoaded(v.hardAffinity()), ctx.now());
        }
    }

    // ------------------------------------------------------------------ parameters

    @Override
    public Map<String, Long> getDomainParams(SchedDomain dom) {
        C2Domain d = (C2Domain) dom.schedData();
        return Map.of("weight", (long) d.weight, "cap", (long) d.cap);
    }

    @Override
    public void setDomainParams(SchedDomain dom, Map<String, Long> params) {
        C2Domain d = (C2Domain) dom.schedData();
        WeightAndCap.validate(params, dom.vcpus().size());
        Long w = params.get("weight"), c = params.get("cap");
        if (w != null) {
            d.weight = w.intValue();
            for (C2Vcpu s : d.vcpus) s.weight = d.weight;
            for (C2Runq q : runqs) recomputeMaxWeight(q);
        }
        if (c != null) {
            d.cap = c.intValue();
            for (C2Vcpu s : d.vcpus) s.cap = d.cap;
            if (d.cap > 0) startBudget(d);
            else {
                if (d.replenish != null) d.replenish.stop();
                d.replenish = null;
                for (C2Vcpu s : d.vcpus) {
                    if (s.parked) {
                        s.parked = false;
                        if (s.vcpu.isRunnable() && !s.vcpu.isRunning()) enqueueAndTickle(s, ctx.now());
                    }
                }
            }
        }
    }

    @Override
    public Map<String, Long> getPoolParams() {
        return Map.of("ratelimit_us", ratelimitUs);
    }

    @Override
    public void setPoolParams(Map<String, Long> params) {
        Long r = params.get("ratelimit_us");
        if (r == null) return;
        checkRatelimit(r);
        ratelimitUs = r;
    }

    /** For tests: the domains this instance knows. */
    List<C2Domain> domains() {
        return domains;
    }

    // ------------------------------------------------------------------ dump

    @Override
    public void dump(PrintWriter out) {
        out.printf("Scheduler: SMP Credit Scheduler rev2 (credit2)%n");
        out.printf("Active queues: %d%n\tdefault-weight     = 256%n\tratelimit          = %dus%n\trunqueues          = %s%n",
                runqs.size(), ratelimitUs, arrangement.name().toLowerCase());
        for (C2Runq q : runqs) {
            out.printf("Runqueue %d:%n\tncpus              = %d%n\tcpus               = %s%n\tmax_weight         = %d%n\tinstload           = %d%n"
                    + "\taveload            = %d (~%d%%)%n\tcredit resets      = %d%n\tbalance moves in   = %d%n\tidlers: %s%n\ttickled: %s%n",
                    q.id, q.cpuCount(), q.cpus.toRangeList(), q.maxWeight, q.instLoad, q.avgLoad,
                    q.avgLoad * 100 / Math.max(1, (long) q.cpuCount() << C2Runq.PRECISION_SHIFT), q.resets, q.migrations, q.cpus.filter(c -> idle[c]).toRangeList(),
                    q.cpus.filter(c -> tickled[c]).toRangeList());
            for (C2Vcpu s : q.queueList()) out.printf("\t[%d.%d] flags=%s cpu=%d credit=%d [w=%d]%n", s.vcpu.domain().id(), s.vcpu.vcpuId(),
                    s.parked ? "P" : "", s.vcpu.processor(), s.credit, s.dom.weight);
        }
    }

    @Override
    public void shutdown() {
        for (C2Domain d : domains) if (d.replenish != null) d.replenish.stop();
        for (C2Pcpu p : pcpus) if (p != null && p.timer != null) p.timer.stop();
    }
}
