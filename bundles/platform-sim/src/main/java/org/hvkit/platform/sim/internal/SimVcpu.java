package org.hvkit.platform.sim.internal;

import org.hvkit.api.memaccess.Verdict;
import org.hvkit.api.memaccess.Violation;
import org.hvkit.api.memaccess.ViolationHandler;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.api.platform.GuestVcpu;
import org.hvkit.api.platform.VcpuPort;
import org.hvkit.api.timer.HvTimer;
import org.hvkit.api.timer.VirtualTimers;

/**
 * A simulated vCPU running its workload: it consumes run phases while on a pCPU and sleeps
 * through sleep phases in virtual time, reporting blocks and wake-ups to the core. A run phase
 * with a touch accesses pages at its rate, each checked against the p2m; the vCPU stops at the
 * first access that violates it, as a real vCPU faults there.
 */
final class SimVcpu implements GuestVcpu {
    /** Accesses looked ahead for the next violation before the vCPU stops anyway to look again. */
    private static final int LOOKAHEAD = 65_536;

    private final VcpuPort port;
    private final Workload workload;
    private final SimRng rng;
    private final VirtualTimers clock;
    private final SimGuest guest;
    private int phase;
    /** ns of the current run phase still to run; Long.MAX_VALUE = forever. */
    private long remaining;
    private boolean sleeping;
    private boolean dead;
    /** The end of a sleep phase. */
    private final HvTimer wakeTimer;
    // touches: the next page (index into the range), run time since the last access
    private long cursor;
    private long sinceTouch;
    /** The gfn of an access that violated and is not carried out yet, else -1. */
    private long pendingGfn = -1;
    /** Held by a violation verdict until resumed. */
    private boolean held;
    /** Accesses carried out. */
    long touches;
    /** DMA phase: run time since the last copy, copies started. */
    private long sinceDma;
    long dmaCopies;

    SimVcpu(VcpuPort port, Workload workload, long seed, VirtualTimers clock, SimGuest guest) {
        this.port = port;
        this.workload = workload;
        this.rng = new SimRng(seed);
        this.clock = clock;
        this.guest = guest;
        this.wakeTimer = clock.createTimer(port.vcpuId(), this::sleepEnded);
        enterPhase(clock.now());
    }

    private void sleepEnded(long now) {
        if (dead) return;
        nextPhase(now);
        if (!sleeping) port.wake();
    }

    private void enterPhase(long now) {
        Workload.Phase p = workload.phases().get(phase);
        long d = p.duration().sample(rng);
        if (p.run()) {
            sleeping = false;
            remaining = Math.max(1, d);
        } else {
            sleeping = true;
            if (d != Long.MAX_VALUE) wakeTimer.set(now + Math.max(1, d));
        }
    }

    private void nextPhase(long now) {
        phase = (phase + 1) % workload.phases().size();
        sinceTouch = 0;
        sinceDma = 0;
        enterPhase(now);
    }

    private Workload.Touch touch() {
        return sleeping ? null : workload.phases().get(phase).touch();
    }

    /** It ran for {@code ns} on a pCPU: account the phase and carry out the accesses made meanwhile. */
    void consume(long ns) {
        if (!sleeping && remaining != Long.MAX_VALUE) remaining -= ns;
        if (!sleeping && !held && !dead) dma(ns);
        Workload.Touch t = touch();
        if (t == null || held || pendingGfn >= 0) return;
        long budget = sinceTouch + ns;
        long n = budget / t.everyNs();
        sinceTouch = budget % t.everyNs();
        if (n == 0) return;
        long pages = t.pages();
        if (guest.p2m.restrictedPages() == 0) {
            cursor = (cursor + n % pages) % pages;
            touches += n;
            return;
        }
        for (long i = 0; i < n; i++) {
            long gfn = t.firstGfn() + cursor;
            if (!guest.p2m.access(gfn).permits(t.bits())) {
                pendingGfn = gfn;
                sinceTouch = 0;
                return;
            }
            cursor = (cursor + 1) % pages;
            touches++;
        }
    }

    /** The copies a DMA phase makes in {@code ns} of run time, at most {@link SimDma#MAX_OPS_PER_SLICE}. */
    private void dma(long ns) {
        Workload.Dma d = workload.phases().get(phase).dma();
        if (d == null) return;
        long budget = sinceDma + ns;
        long n = budget / d.everyNs();
        sinceDma = budget % d.everyNs();
        for (long i = 0; i < Math.min(n, SimDma.MAX_OPS_PER_SLICE); i++) SimDma.once(guest, d, (long) port.vcpuId() << 40 | ++dmaCopies);
    }

    /** ns until the current run phase ends, or its next access violates, if it keeps running; Long.MAX_VALUE if never. */
    long remainingRun() {
        if (sleeping) return 0;
        long rem = Math.max(0, remaining);
        Workload.Touch t = touch();
        if (t == null || guest.p2m.restrictedPages() == 0) return rem;
        long every = t.everyNs(), first = every - sinceTouch, pages = t.pages();
        for (long k = 0; k < LOOKAHEAD; k++) {
            long at = first + k * every;
            if (at > rem) return rem;
            if (!guest.p2m.access(t.firstGfn() + (cursor + k) % pages).permits(t.bits())) return at;
        }
        return Math.min(rem, first + LOOKAHEAD * every);
    }

    /** Called when it was taken off a pCPU: a violating access goes to the handler; if its run phase is over, go to the next phase (and block if it sleeps). */
    void afterRun(long now) {
        if (dead) return;
        if (pendingGfn >= 0 && !held) {
            violated();
            if (held) {
                port.block();
                return;
            }
        }
        if (sleeping || remaining > 0) return;
        nextPhase(now);
        if (sleeping) port.block();
    }

    private void violated() {
        Workload.Touch t = touch();
        long gfn = pendingGfn;
        ViolationHandler h = guest.handler;
        if (t == null) {
            pendingGfn = -1;
            return;
        }
        if (h == null) {
            guest.p2m.setAccess(gfn, 1, P2mAccess.RWX); // nobody attached: the restriction is dropped
            carriedOut();
            return;
        }
        int offset = gfn == t.firstGfn() ? (int) (t.first() & 0xfff) : 0;
        Verdict v = h.violation(new Violation(port.vcpuId(), gfn, offset, t.bits(), t.gla(gfn, offset)));
        if (v == Verdict.CONTINUE) carriedOut();
        else held = true;
        guest.violations++;
    }

    private void carriedOut() {
        Workload.Touch t = touch();
        pendingGfn = -1;
        if (t != null) cursor = (cursor + 1) % t.pages();
        touches++;
    }

    /** A held vCPU goes on: its access carried out once, or tried again at once. Machine context. */
    void resume(boolean completeOnce) {
        if (!held || dead) return;
        held = false;
        if (completeOnce) {
            carriedOut();
        } else {
            pendingGfn = -1;
            Workload.Touch t = touch();
            if (t != null) sinceTouch = t.everyNs() - 1;
        }
        port.wake();
    }

    boolean held() {
        return held;
    }

    @Override
    public VcpuPort port() {
        return port;
    }

    @Override
    public boolean wantsToRun() {
        return !sleeping && !held;
    }

    /** Its workload state for xl save: phase, what is left of it, and the generator; the sleep's end relative to {@code now}. */
    void save(java.io.DataOutput out, long now) throws java.io.IOException {
        out.writeInt(phase);
        out.writeBoolean(sleeping);
        out.writeLong(remaining);
        out.writeLong(sleeping && wakeTimer.isActive() ? Math.max(0, wakeTimer.deadline() - now) : -1);
        out.writeLong(rng.state());
    }

    /** Takes over a saved vCPU's state (this one is fresh and not running); checks what it reads. */
    void restore(java.io.DataInput in, long now) throws java.io.IOException {
        int p = in.readInt();
        boolean s = in.readBoolean();
        long rem = in.readLong(), wakeIn = in.readLong(), st = in.readLong();
        if (p < 0 || p >= workload.phases().size()) throw new java.io.IOException("vcpu " + port.vcpuId() + ": phase " + p + " of a " + workload.phases().size() + "-phase workload");
        if (s == workload.phases().get(p).run()) throw new java.io.IOException("vcpu " + port.vcpuId() + ": phase " + p + " is a " + (s ? "run" : "sleep") + " phase in this workload");
        if (!s && rem < 0) throw new java.io.IOException("vcpu " + port.vcpuId() + ": negative run time left " + rem);
        if (wakeIn < -1) throw new java.io.IOException("vcpu " + port.vcpuId() + ": sleep end " + wakeIn + " ns away");
        wakeTimer.stop();
        phase = p;
        sleeping = s;
        remaining = rem;
        rng.setState(st);
        if (s && wakeIn >= 0) wakeTimer.set(now + Math.max(1, wakeIn));
    }

    void kill() {
        dead = true;
        wakeTimer.stop();
    }
}
