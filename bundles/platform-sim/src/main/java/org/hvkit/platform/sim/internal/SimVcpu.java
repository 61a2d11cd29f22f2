package org.hvkit.platform.sim.internal;

import org.hvkit.api.platform.GuestVcpu;
import org.hvkit.api.platform.VcpuPort;
import org.hvkit.api.timer.HvTimer;
import org.hvkit.api.timer.VirtualTimers;

/**
 * A simulated vCPU running its workload: it consumes run phases while on a pCPU and sleeps
 * through sleep phases in virtual time, reporting blocks and wake-ups to the core.
 */
final class SimVcpu implements GuestVcpu {
    private final VcpuPort port;
    private final Workload workload;
    private final SimRng rng;
    private final VirtualTimers clock;
    private int phase;
    /** ns of the current run phase still to run; Long.MAX_VALUE = forever. */
    private long remaining;
    private boolean sleeping;
    private boolean dead;
    /** The end of a sleep phase. */
    private final HvTimer wakeTimer;

    SimVcpu(VcpuPort port, Workload workload, long seed, VirtualTimers clock) {
        this.port = port;
        this.workload = workload;
        this.rng = new SimRng(seed);
        this.clock = clock;
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
        enterPhase(now);
    }

    /** It ran for {@code ns} on a pCPU. */
    void consume(long ns) {
        if (!sleeping && remaining != Long.MAX_VALUE) remaining -= ns;
    }

    /** ns until the current run phase ends if it keeps running; Long.MAX_VALUE if never. */
    long remainingRun() {
        return sleeping ? 0 : Math.max(0, remaining);
    }

    /** Called when it was taken off a pCPU: if its run phase is over, go to the next phase (and block if it sleeps). */
    void afterRun(long now) {
        if (dead || sleeping || remaining > 0) return;
        nextPhase(now);
        if (sleeping) port.block();
    }

    @Override
    public VcpuPort port() {
        return port;
    }

    @Override
    public boolean wantsToRun() {
        return !sleeping;
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
