package org.hvkit.sched.credit1.internal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.sched.Decision;
import org.hvkit.api.sched.SchedDomain;
import org.hvkit.api.sched.SchedTimer;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;

/**
 * One instance of Xen's credit scheduler (4.2 semantics, with HEAD's sub-credit residual):
 * credits earned each accounting period in proportion to weight, burned at 10 per ms of run
 * time, BOOST for vCPUs waking with credit, work stealing when the local best has none, caps
 * enforced by parking. The core serialises every call, so nothing here locks.
 */
final class Credit1Scheduler implements Scheduler {
    static final int CREDITS_PER_MSEC = 10;
    static final long NS_PER_CREDIT = 1_000_000L / CREDITS_PER_MSEC;

    private final SchedulerContext ctx;
    private final HostTopology topo;
    private final CsPcpu[] pcpus;
    /** Mutable masks over the host's pCPUs: the pool's pCPUs, and those running idle. */
    private final long[] online, idlers;
    private int ncpus;
    private int master = -1;
    private SchedTimer acctTimer;

    private int tsliceMs, ratelimitUs, ticksPerTslice;
    private long tickPeriodNs, creditsPerTslice;

    /** Active domains in accounting order (Xen moves a domain to the head in some cases). */
    private final List<CsDomain> activeDomains = new ArrayList<>();
    private long totalWeight;
    private long creditBalance;
    private long epoch;

    Credit1Scheduler(SchedulerContext ctx, Map<String, Long> poolParams) {
        this.ctx = ctx;
        this.topo = ctx.topology();
        int n = topo.nrCpus();
        this.pcpus = new CsPcpu[n];
        this.online = new long[(n + 63) >>> 6];
        this.idlers = new long[(n + 63) >>> 6];
        long t = poolParams.getOrDefault("tslice_ms", 30L), r = poolParams.getOrDefault("ratelimit_us", 1000L);
        checkPoolParams(t, r);
        applyTslice((int) t, (int) r);
    }

    private void applyTslice(int tslice, int ratelimit) {
        tsliceMs = tslice;
        ratelimitUs = ratelimit;
        ticksPerTslice = tslice < 3 ? 1 : 3;
        tickPeriodNs = tslice * 1_000_000L / ticksPerTslice;
        creditsPerTslice = (long) CREDITS_PER_MSEC * tslice;
    }

    private static boolean test(long[] m, int c) {
        return (m[c >>> 6] & (1L << c)) != 0;
    }

    private static void set(long[] m, int c, boolean on) {
        if (on) m[c >>> 6] |= 1L << c; else m[c >>> 6] &= ~(1L << c);
    }

    private static CsVcpu svc(SchedVcpu v) {
        return (CsVcpu) v.schedData();
    }

    // ------------------------------------------------------------------ pCPUs, domains, vCPUs

    @Override
    public void addPcpu(int cpu) {
        CsPcpu p = new CsPcpu(cpu);
        pcpus[cpu] = p;
        set(online, cpu, true);
        set(idlers, cpu, true);
        ncpus++;
        p.sortedEpoch = epoch;
        p.ticker = ctx.createTimer(cpu, now -> tick(p, now));
        p.ticker.set(ctx.now() + tickPeriodNs);
        if (master < 0) {
            master = cpu;
            acctTimer = ctx.createTimer(cpu, this::account);
            acctTimer.set(ctx.now() + tsliceMs * 1_000_000L);
        }
    }

    @Override
    public void removePcpu(int cpu) {
        CsPcpu p = pcpus[cpu];
        if (p == null) return;
        p.ticker.stop();
        while (p.head.next != p.head) dequeue(p.head.next);
        pcpus[cpu] = null;
        set(online, cpu, false);
        set(idlers, cpu, false);
        ncpus--;
        if (cpu == master) {
            acctTimer.stop();
            master = -1;
            for (CsPcpu q : pcpus) {
                if (q != null) {
                    master = q.cpu;
                    acctTimer = ctx.createTimer(master, this::account);
                    acctTimer.set(ctx.now() + tsliceMs * 1_000_000L);
                    break;
                }
            }
        }
    }

    @Override
    public void addDomain(SchedDomain dom, Map<String, Long> params) {
        dom.setSchedData(new CsDomain(dom, params.getOrDefault("weight", 256L).intValue(), params.getOrDefault("cap", 0L).intValue()));
    }

    @Override
    public void removeDomain(SchedDomain dom) {
        CsDomain d = (CsDomain) dom.schedData();
        if (d != null && d.active) activeDomains.remove(d);
        dom.setSchedData(null);
    }

    @Override
    public void insertVcpu(SchedVcpu v) {
        CsVcpu s = new CsVcpu(v, (CsDomain) v.domain().schedData());
        s.lastBurn = ctx.now();
        v.setSchedData(s);
    }

    @Override
    public void removeVcpu(SchedVcpu v) {
        CsVcpu s = svc(v);
        if (s == null) return;
        if (s.queuedOn >= 0) dequeue(s);
        if (s.active) acctStop(s);
        for (CsPcpu p : pcpus) if (p != null && p.current == s) p.current = null;
        v.setSchedData(null);
    }

    // ------------------------------------------------------------------ runqueues

    /** Xen's __runq_insert: before the first lower priority; a yielder goes behind one more. */
    private void enqueue(int cpu, CsVcpu s) {
        CsPcpu p = pcpus[cpu];
        CsVcpu it = p.head.next;
        while (it != p.head && s.pri <= it.pri) it = it.next;
        if (s.yielding && it != p.head) it = it.next;
        s.next = it;
        s.prev = it.prev;
        it.prev.next = s;
        it.prev = s;
        s.queuedOn = cpu;
        p.queued++;
    }

    private void dequeue(CsVcpu s) {
        s.prev.next = s.next;
        s.next.prev = s.prev;
        s.prev = s.next = null;
        pcpus[s.queuedOn].queued--;
        s.queuedOn = -1;
    }

    /** After an accounting period, UNDER and BOOST vCPUs move ahead of OVER ones, order kept. */
    private void sortRunq(CsPcpu p) {
        if (p.sortedEpoch == epoch) return;
        p.sortedEpoch = epoch;
        if (p.queued < 2) return;
        List<CsVcpu> over = new ArrayList<>();
        for (CsVcpu it = p.head.next; it != p.head; ) {
            CsVcpu nx = it.next;
            if (it.pri < CsVcpu.PRI_UNDER) {
                dequeue(it);
                over.add(it);
            }
            it = nx;
        }
        for (CsVcpu s : over) {
            s.next = p.head;
            s.prev = p.head.prev;
            p.head.prev.next = s;
            p.head.prev = s;
            s.queuedOn = p.cpu;
            p.queued++;
        }
    }

    // ------------------------------------------------------------------ credit

    /** Charges the vCPU for the time since its last burn, keeping the sub-credit residual. */
    private void burn(CsVcpu s, long now) {
        long delta = now - s.lastBurn;
        if (delta <= 0) return;
        long ns = delta + s.residualNs;
        s.credit -= (int) (ns / NS_PER_CREDIT);
        s.residualNs = ns % NS_PER_CREDIT;
        s.lastBurn = now;
    }

    private void acctStart(CsVcpu s) {
        s.active = true;
        CsDomain d = s.dom;
        d.activeVcpus++;
        if (!d.active) {
            d.active = true;
            activeDomains.add(d);
        }
        totalWeight += d.weight;
    }

    private void acctStop(CsVcpu s) {
        s.active = false;
        CsDomain d = s.dom;
        d.activeVcpus--;
        totalWeight -= d.weight;
        if (d.activeVcpus == 0 && d.active) {
            d.active = false;
            activeDomains.remove(d);
        }
    }

    /** The per-pCPU tick: demote BOOST, burn, join the active list, sort after accounting. */
    private void tick(CsPcpu p, long now) {
        CsVcpu cur = p.current;
        if (cur != null && cur.vcpu.isRunning()) {
            if (cur.pri == CsVcpu.PRI_BOOST) cur.pri = CsVcpu.PRI_UNDER;
            burn(cur, now);
            if (!cur.active) acctStart(cur);
        }
        sortRunq(p);
        p.ticker.set(now + tickPeriodNs);
    }

    /** Xen's csched_acct on the master pCPU every time slice. */
    private void account(long now) {
        acctTimer.set(now + tsliceMs * 1_000_000L);
        if (totalWeight == 0 || ncpus == 0) {
            creditBalance = 0;
            epoch++;
            return;
        }
        long weightTotal = totalWeight, weightLeft = totalWeight;
        long creditTotal = creditsPerTslice * ncpus;
        if (creditBalance < 0) creditTotal -= creditBalance;
        long balance = 0;
        boolean xtra = false;
        List<CsDomain> order = new ArrayList<>(activeDomains);
        for (CsDomain d : order) {
            int n = d.activeVcpus;
            if (n == 0) continue;
            weightLeft -= (long) d.weight * n;
            long peak = n * creditsPerTslice;
            if (creditBalance < 0) peak += (-creditBalance * d.weight * n + weightTotal - 1) / weightTotal;
            long capShare = Long.MAX_VALUE;
            if (d.cap != 0) {
                long creditCap = (d.cap * creditsPerTslice + 99) / 100;
                if (creditCap < peak) peak = creditCap;
                capShare = (creditCap + n - 1) / n;
            }
            long fair = (creditTotal * d.weight * n + weightTotal - 1) / weightTotal;
            if (fair < peak) {
                xtra = true;
            } else {
                if (weightLeft != 0) creditTotal += ((fair - peak) * weightTotal + weightLeft - 1) / weightLeft;
                if (xtra) {
                    activeDomains.remove(d);
                    activeDomains.add(0, d);
                }
                fair = peak;
            }
            long perVcpu = (fair + n - 1) / n;
            for (SchedVcpu v : d.dom.vcpus()) {
                CsVcpu s = svc(v);
                if (s == null || !s.active) continue;
                long credit = s.credit + perVcpu;
                if (credit < 0) {
                    s.pri = CsVcpu.PRI_OVER;
                    if (d.cap != 0 && credit < -capShare && !s.parked) park(s);
                    if (credit < -creditsPerTslice) credit = -creditsPerTslice;
                } else {
                    s.pri = CsVcpu.PRI_UNDER;
                    if (s.parked) unpark(s);
                    if (credit > creditsPerTslice) {
                        acctStop(s);
                        credit /= 2;
                    }
                }
                s.credit = (int) credit;
                balance += credit;
            }
        }
        creditBalance = balance;
        epoch++;
    }

    /** Caps: a parked vCPU is not queued and is taken off its pCPU. */
    private void park(CsVcpu s) {
        s.parked = true;
        if (s.queuedOn >= 0) dequeue(s);
        CsPcpu p = pcpus[s.vcpu.processor()];
        if (p != null && p.current == s) ctx.tickle(p.cpu);
    }

    private void unpark(CsVcpu s) {
        s.parked = false;
        SchedVcpu v = s.vcpu;
        if (v.isRunnable() && !v.isRunning() && s.queuedOn < 0 && pcpus[v.processor()] != null) {
            enqueue(v.processor(), s);
            tickle(v.processor(), s);
        }
    }

    // ------------------------------------------------------------------ sleep, wake, yield

    @Override
    public void sleep(SchedVcpu v) {
        CsVcpu s = svc(v);
        CsPcpu p = pcpus[v.processor()];
        if (p != null && p.current == s) ctx.tickle(p.cpu);
        else if (s.queuedOn >= 0) dequeue(s);
    }

    @Override
    public void wake(SchedVcpu v) {
        CsVcpu s = svc(v);
        if (v.isRunning() || s.queuedOn >= 0 || s.parked) return;
        if (s.pri == CsVcpu.PRI_UNDER) s.pri = CsVcpu.PRI_BOOST;
        int cpu = v.processor();
        if (pcpus[cpu] == null) return;
        enqueue(cpu, s);
        tickle(cpu, s);
    }

    /** Xen's __runq_tickle: preempt the pCPU if the newcomer outranks its vCPU; wake one idler that may take it. */
    private void tickle(int cpu, CsVcpu s) {
        CsPcpu p = pcpus[cpu];
        int curPri = p.current == null ? CsVcpu.PRI_IDLE : p.current.pri;
        if (s.pri > curPri) ctx.tickle(cpu);
        if (curPri > CsVcpu.PRI_IDLE) {
            CpuMask aff = s.vcpu.hardAffinity();
            int n = topo.nrCpus();
            for (int i = 1; i <= n; i++) {
                int c = (p.lastTickle + i) % n;
                if (test(idlers, c) && aff.contains(c)) {
                    p.lastTickle = c;
                    ctx.tickle(c);
                    break;
                }
            }
        }
    }

    @Override
    public void contextSaved(SchedVcpu v) {
        CsVcpu s = svc(v);
        CsPcpu p = pcpus[v.processor()];
        if (s != null && p != null && p.current == s && !v.isRunning()) p.current = null;
    }

    @Override
    public void yield(SchedVcpu v) {
        svc(v).yielding = true;
    }

    // ------------------------------------------------------------------ do_schedule

    @Override
    public Decision doSchedule(int cpu, long now, SchedVcpu current) {
        CsPcpu p = pcpus[cpu];
        CsVcpu cur = current == null ? null : svc(current);
        if (cur != null) burn(cur, now);
        boolean runnable = cur != null && current.isRunnable() && !cur.parked;
        // ratelimit: a vCPU that has just started keeps the pCPU a little
        if (runnable && ratelimitUs > 0 && !cur.yielding && now - cur.runStart < ratelimitUs * 1000L) {
            p.current = cur;
            return new Decision(current, Math.max(100_000L, ratelimitUs * 1000L - (now - cur.runStart)), false);
        }
        if (runnable) enqueue(cpu, cur);
        if (cur != null) cur.yielding = false;
        CsVcpu next = p.head.next != p.head ? p.head.next : null;
        boolean migrated = false;
        if (next != null && next.pri > CsVcpu.PRI_OVER) {
            dequeue(next);
        } else {
            CsVcpu stolen = steal(cpu, next == null ? CsVcpu.PRI_IDLE : next.pri);
            if (stolen != null) {
                next = stolen;
                migrated = true;
            } else if (next != null) {
                dequeue(next);
            }
        }
        p.current = next;
        set(idlers, cpu, next == null);
        if (next == null) return Decision.IDLE;
        if (next != cur) next.runStart = now;
        next.lastBurn = now;
        return new Decision(next.vcpu, tsliceMs * 1_000_000L, migrated);
    }

    /** Xen's csched_load_balance: look at busy peers, starting with the next one, for better work this pCPU may run. */
    private CsVcpu steal(int cpu, int pri) {
        int n = topo.nrCpus();
        for (int i = 1; i < n; i++) {
            int peer = (cpu + i) % n;
            CsPcpu q = pcpus[peer];
            if (q == null || q.queued == 0 || q.current == null) continue;
            for (CsVcpu s = q.head.next; s != q.head; s = s.next) {
                if (s.pri <= pri) break;
                SchedVcpu v = s.vcpu;
                if (!v.isRunning() && v.hardAffinity().contains(cpu)) {
                    dequeue(s);
                    v.setProcessor(cpu);
                    return s;
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ placement

    @Override
    public int pickCpu(SchedVcpu v) {
        CpuMask pool = mask(online);
        CpuMask cpus = v.hardAffinity().and(pool);
        if (cpus.isEmpty()) return v.processor();
        int cpu = cpus.contains(v.processor()) ? v.processor() : cpus.cycle(v.processor());
        CpuMask idle = mask(idlers).with(cpu);
        cpus = cpus.and(idle).without(cpu);
        while (!cpus.isEmpty()) {
            int nxt = cpus.cycle(cpu);
            boolean sameSocket = topo.socketOf(cpu) == topo.socketOf(nxt);
            CpuMask cpuIdlers = idle.and(sameSocket ? topo.threadSiblings(cpu) : topo.socketCpus(cpu));
            CpuMask nxtIdlers = idle.and(sameSocket ? topo.threadSiblings(nxt) : topo.socketCpus(nxt));
            int factor = sameSocket ? 1 : 2;
            if (cpuIdlers.cardinality() * factor < nxtIdlers.cardinality()) {
                CpuMask choice = cpus.and(nxtIdlers);
                CsPcpu np = pcpus[nxt];
                cpu = choice.cycle(np.idleBias);
                np.idleBias = cpu;
                cpus = cpus.andNot(topo.threadSiblings(cpu));
            } else {
                cpus = cpus.andNot(nxtIdlers);
            }
        }
        return cpu;
    }

    private CpuMask mask(long[] m) {
        CpuMask.Builder b = CpuMask.builder();
        for (int w = 0; w < m.length; w++) {
            long bits = m[w];
            while (bits != 0) {
                b.set(w * 64 + Long.numberOfTrailingZeros(bits));
                bits &= bits - 1;
            }
        }
        return b.build();
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
        Long w = params.get("weight"), c = params.get("cap");
        if (w != null && (w < 1 || w > 65535)) throw new IllegalArgumentException("Cpu weight out of range, valid values are within range from 1 to 65535");
        int maxCap = dom.vcpus().size() * 100;
        if (c != null && (c < 0 || c > maxCap)) {
            throw new IllegalArgumentException("Cpu cap out of range, valid range is from 0 to " + maxCap + " for specified number of vcpus");
        }
        if (w != null) {
            totalWeight += (w - d.weight) * (long) d.activeVcpus;
            d.weight = w.intValue();
        }
        if (c != null) {
            d.cap = c.intValue();
            if (d.cap == 0) for (SchedVcpu v : dom.vcpus()) if (svc(v) != null && svc(v).parked) unpark(svc(v));
        }
    }

    @Override
    public Map<String, Long> getPoolParams() {
        return Map.of("tslice_ms", (long) tsliceMs, "ratelimit_us", (long) ratelimitUs);
    }

    private static void checkPoolParams(long tslice, long ratelimit) {
        if (tslice < 1 || tslice > 1000) throw new IllegalArgumentException("tslice_ms " + tslice + " out of range, valid values are within range from 1 to 1000");
        if (ratelimit != 0 && (ratelimit < 100 || ratelimit > 500000)) {
            throw new IllegalArgumentException("ratelimit_us " + ratelimit + " out of range, valid values are within range from 100 to 500000");
        }
        if (ratelimit > tslice * 1000) throw new IllegalArgumentException("ratelimit_us (" + ratelimit + ") must not exceed tslice_ms (" + tslice + " ms)");
    }

    @Override
    public void setPoolParams(Map<String, Long> params) {
        long t = params.getOrDefault("tslice_ms", (long) tsliceMs), r = params.getOrDefault("ratelimit_us", (long) ratelimitUs);
        checkPoolParams(t, r);
        applyTslice((int) t, (int) r);
    }

    // ------------------------------------------------------------------ dump

    @Override
    public void dump(PrintWriter out) {
        out.printf("Scheduler: SMP Credit Scheduler (credit)%n");
        out.printf("info:%n\tncpus              = %d%n\tmaster             = %d%n\tcredit             = %d%n\tcredit balance     = %d%n"
                + "\tweight             = %d%n\trunq_sort          = %d%n\tdefault-weight     = 256%n\ttslice             = %dms%n"
                + "\tratelimit          = %dus%n\tcredits per msec   = %d%n\tticks per tslice   = %d%n\tmigration delay    = 0us%n",
                ncpus, master, creditsPerTslice * ncpus, creditBalance, totalWeight, epoch, tsliceMs, ratelimitUs, CREDITS_PER_MSEC, ticksPerTslice);
        out.printf("idlers: %s%n", mask(idlers).toRangeList());
        Map<String, CsVcpu> active = new TreeMap<>();
        for (CsDomain d : activeDomains) for (SchedVcpu v : d.dom.vcpus()) if (svc(v) != null && svc(v).active) active.put(v.label(), svc(v));
        out.println("active vcpus:");
        int i = 1;
        for (CsVcpu s : active.values()) out.printf("\t%3d: %s%n", i++, line(s));
        for (CsPcpu p : pcpus) {
            if (p == null) continue;
            out.printf("CPU[%02d] current=%s%n", p.cpu, p.current == null ? "idle" : line(p.current));
            int k = 1;
            for (CsVcpu s = p.head.next; s != p.head; s = s.next) out.printf("\t%3d: %s%n", k++, line(s));
        }
    }

    private static String line(CsVcpu s) {
        return "[" + s.vcpu.domain().id() + "." + s.vcpu.vcpuId() + "] pri=" + s.pri + " flags=" + s.flags() + " cpu=" + s.vcpu.processor()
                + " credit=" + s.credit + " [w=" + s.dom.weight + (s.dom.cap != 0 ? ",cap=" + s.dom.cap : "") + "]";
    }

    @Override
    public void shutdown() {
        for (CsPcpu p : pcpus) if (p != null) p.ticker.stop();
        if (acctTimer != null) acctTimer.stop();
    }
}
