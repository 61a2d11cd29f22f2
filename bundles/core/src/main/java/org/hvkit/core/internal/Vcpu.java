package org.hvkit.core.internal;

import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.RunState;
import org.hvkit.api.platform.GuestVcpu;
import org.hvkit.api.platform.VcpuPort;
import org.hvkit.api.sched.SchedDomain;
import org.hvkit.api.sched.SchedVcpu;

/**
 * One vCPU: what schedulers see ({@link SchedVcpu}) and what platforms report to ({@link VcpuPort}).
 * All state is touched in machine context only.
 */
final class Vcpu implements SchedVcpu, VcpuPort {
    final Domain domain;
    final int id;
    private final int uid;
    private final Machine machine;

    int processor;
    boolean running;
    /** The guest waits for an event (platform-reported). */
    boolean blocked;
    boolean online;
    CpuMask hard;
    CpuMask soft;
    GuestVcpu guest;
    private Object schedData;

    /** Inserted into the pool's current scheduler instance. */
    boolean inserted;
    /** The scheduler was last told this vCPU is runnable (wake) rather than not (sleep). */
    boolean awake;

    private RunState state = RunState.OFFLINE;
    private long stateSince;
    private final long[] timeIn = new long[RunState.values().length];

    Vcpu(Machine machine, Domain domain, int id, int uid, CpuMask hard, CpuMask soft) {
        this.machine = machine;
        this.domain = domain;
        this.id = id;
        this.uid = uid;
        this.hard = hard;
        this.soft = soft;
    }

    /** Sets the processor; every change of it goes through here so that the pool's per-pCPU counts stay exact. */
    void place(int cpu) {
        CpuPool p = domain.countedIn;
        if (p != null && cpu != processor) {
            p.count(processor, -1);
            p.count(cpu, 1);
        }
        processor = cpu;
    }

    /** Whether the vCPU wants a pCPU now. */
    @Override
    public boolean isRunnable() {
        return online && !blocked && !domain.paused && !domain.shutdown && !domain.dying;
    }

    /** Brings the run-state accounting up to date after any change of the flags. */
    void refreshState(long now) {
        RunState s = running ? RunState.RUNNING : isRunnable() ? RunState.RUNNABLE : online && !domain.dying ? RunState.BLOCKED : RunState.OFFLINE;
        if (s != state) {
            timeIn[state.ordinal()] += now - stateSince;
            state = s;
            stateSince = now;
        }
    }

    void startAccounting(long now) {
        stateSince = now;
    }

    /** When it started waiting for a pCPU, or -1 when it is not waiting (running, blocked, offline). */
    long waitingSince() {
        return state == RunState.RUNNABLE ? stateSince : -1;
    }

    RunState state() {
        return state;
    }

    /** Time spent in {@code s} up to {@code now}, ns. */
    long timeIn(RunState s, long now) {
        return timeIn[s.ordinal()] + (state == s ? now - stateSince : 0);
    }

    // --- SchedVcpu ---

    @Override
    public SchedDomain domain() {
        return domain;
    }

    @Override
    public int vcpuId() {
        return id;
    }

    @Override
    public int uid() {
        return uid;
    }

    @Override
    public int processor() {
        return processor;
    }

    @Override
    public void setProcessor(int cpu) {
        machine.moveVcpu(this, cpu);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public CpuMask hardAffinity() {
        return hard;
    }

    @Override
    public CpuMask softAffinity() {
        return soft;
    }

    @Override
    public Object schedData() {
        return schedData;
    }

    @Override
    public void setSchedData(Object data) {
        schedData = data;
    }

    // --- VcpuPort ---

    @Override
    public int domainId() {
        return domain.id;
    }

    @Override
    public void block() {
        if (!blocked) {
            blocked = true;
            machine.runnableChanged(this);
        }
    }

    @Override
    public void wake() {
        if (blocked) {
            blocked = false;
            machine.runnableChanged(this);
        }
    }

    @Override
    public boolean online() {
        return online;
    }

    @Override
    public void yield() {
        machine.yield(this);
    }

    @Override
    public String toString() {
        return label();
    }
}
