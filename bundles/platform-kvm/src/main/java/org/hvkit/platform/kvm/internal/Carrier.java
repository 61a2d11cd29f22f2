package org.hvkit.platform.kvm.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.hvkit.api.platform.Dispatch;

/**
 * One pCPU: a platform thread pinned to one host CPU. It holds the machine lock while it asks the
 * core what to run ({@code MachineHost.schedule}) and while it handles exits, and releases it for
 * {@code KVM_RUN}. Its slice deadline is a POSIX timer that signals this thread.
 *
 * <p><b>Kicks</b> (kvm.md §4.2 option A): the kick signal is blocked in this thread at all times
 * and unblocked only inside {@code KVM_RUN} through each vCPU's {@code KVM_SET_SIGNAL_MASK}. A
 * kick (tgkill) or slice timer that arrives while the thread is outside {@code KVM_RUN} stays
 * pending and makes the next {@code KVM_RUN} return EINTR at once, so no kick is lost and no
 * handler ever runs. After EINTR the thread drains the signal with {@code sigtimedwait}. Every
 * reason for a kick (tickle, slice end, destroy, stop) is state the thread re-reads under the
 * machine lock.
 */
final class Carrier {
    final int cpu;
    final int hostCpu;
    private final KvmPlatform pf;
    private final ReentrantLock lock;
    final Condition wakeup;
    private final AtomicBoolean kickPending = new AtomicBoolean();
    private volatile int tid;
    private Thread thread;
    private final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);

    // machine context
    boolean tickled;
    boolean stopping;
    private KvmVcpu current;
    private long until = Long.MAX_VALUE;
    /** The vCPU this thread is (about to be) in KVM_RUN with, for kicks. */
    private volatile KvmVcpu inGuest;

    // statistics (machine context)
    long schedules, runs, eintrs, kicksSent;
    /** When the last kick was sent (System.nanoTime), 0 when none is outstanding; kick latency sum/count/max (ns). */
    private volatile long kickAt;
    long kickLatSum, kickLatCount, kickLatMax;
    final ExitPathStats exitPath = new ExitPathStats();

    Carrier(KvmPlatform pf, int cpu, int hostCpu) {
        this.pf = pf;
        this.cpu = cpu;
        this.hostCpu = hostCpu;
        this.lock = pf.lock();
        this.wakeup = lock.newCondition();
    }

    void start() {
        thread = Thread.ofPlatform().name("hvkit-pcpu" + cpu + "@cpu" + hostCpu).daemon().start(this::loop);
        try {
            if (!ready.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("pCPU " + cpu + " did not start");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean runsOn(Thread t) {
        return thread == t;
    }

    /** Takes over the counters of the carrier it replaces. Machine context. */
    void inherit(Carrier old) {
        schedules = old.schedules;
        runs = old.runs;
        eintrs = old.eintrs;
        kicksSent = old.kicksSent;
        kickLatSum = old.kickLatSum;
        kickLatCount = old.kickLatCount;
        kickLatMax = old.kickLatMax;
    }

    void join() {
        Thread t = thread;
        if (t == null) return;
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    /** Makes the thread leave KVM_RUN soon (or not enter it). Any thread. */
    void kick() {
        int t = tid;
        if (t != 0 && kickPending.compareAndSet(false, true)) {
            kicksSent++;
            // kick latency is timed only for a vCPU in KVM_RUN; a kick sent outside waits for the next entry
            kickAt = inGuest != null ? System.nanoTime() : 0;
            Native.tgkill(pf.pid(), t, KvmPlatform.KICK_SIGNAL);
        }
    }

    /** The core asks this pCPU to reschedule. Machine context. */
    void tickle() {
        tickled = true;
        if (inGuest != null) kick();
        else wakeup.signal();
    }

    private void loop() {
        MemorySegment timer = null;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sigset = Native.sigset(a, KvmPlatform.KICK_SIGNAL);
            MemorySegment zero = a.allocate(16);
            MemorySegment spec = a.allocate(32);
            try {
                Native.pinToCpu(hostCpu);
            } catch (RuntimeException e) {
                pf.log("pCPU " + cpu + ": cannot pin to host cpu " + hostCpu + ": " + e.getMessage());
            }
            Native.blockSignal(KvmPlatform.KICK_SIGNAL);
            tid = Native.gettid();
            timer = Native.timerCreate(KvmPlatform.KICK_SIGNAL, tid);
            ready.countDown();
            long origin = pf.clockOrigin();
            boolean need = true;
            long armed = Long.MAX_VALUE;
            // when KVM_RUN last returned, if that exit was handled without a reschedule (else 0)
            long continuedAt = 0;
            lock.lock();
            try {
                while (!stopping) {
                    if (current != null && current.dead) need = true;
                    if (need || tickled) {
                        tickled = false;
                        need = false;
                        schedules++;
                        continuedAt = 0;
                        Dispatch d = pf.host().schedule(cpu);
                        current = (KvmVcpu) d.vcpu();
                        until = d.until();
                        if (current != null && current.dead) current = null;
                        continue; // re-check tickles raised by schedule itself
                    }
                    long now = pf.timers().now();
                    if (until != Long.MAX_VALUE && now >= until) {
                        need = true;
                        continue;
                    }
                    KvmVcpu v = current;
                    if (v == null || (v.owner != null && v.owner != this)) continuedAt = 0;
                    if (v == null) {
                        long wait = until == Long.MAX_VALUE ? 1_000_000_000L : until - now;
                        await(wait);
                        continue;
                    }
                    if (v.owner != null && v.owner != this) {
                        // still finishing its last exit on another pCPU, which was kicked
                        await(1_000_000L);
                        continue;
                    }
                    v.owner = this;
                    v.inRun = true;
                    inGuest = v;
                    if (until != armed) {
                        // re-armed only when the slice changes: an exit costs no timer syscall
                        Native.timerSetAbs(timer, until == Long.MAX_VALUE ? 0 : origin + until, spec);
                        armed = until;
                    }
                    runs++;
                    lock.unlock();
                    if (v.guest.slotsChanging) {
                        // its memory slots are being rebuilt (KvmGuest.withVcpusOut): entering now could
                        // fault on a page between two slots; try again once they are back
                        v.inRun = false;
                        lock.lock();
                        inGuest = null;
                        v.owner = null;
                        if (current != v) pf.ownerReleased();
                        Thread.onSpinWait();
                        continue;
                    }
                    int r;
                    int err = 0;
                    long kickLat = -1;
                    long entered = System.nanoTime();
                    if (continuedAt != 0) exitPath.recordPath(entered - continuedAt);
                    long left;
                    try {
                        r = Native.ioctlRaw(v.fd, Kvm.RUN, 0);
                        left = System.nanoTime();
                        if (r < 0) {
                            err = Native.errno();
                            long k = kickAt;
                            if (k != 0) {
                                kickLat = System.nanoTime() - k;
                                kickAt = 0;
                            }
                        }
                    } finally {
                        v.inRun = false;
                        lock.lock();
                    }
                    inGuest = null;
                    exitPath.recordRun(left - entered);
                    continuedAt = 0;
                    if (kickLat >= 0) {
                        kickLatSum += kickLat;
                        kickLatCount++;
                        kickLatMax = Math.max(kickLatMax, kickLat);
                    }
                    if (v.dead) {
                        v.owner = null;
                        need = true;
                        if (r < 0) drain(sigset, zero);
                        pf.ownerReleased();
                        continue;
                    }
                    if (r < 0) {
                        if (err == Native.EINTR || err == Native.EAGAIN) {
                            eintrs++;
                            drain(sigset, zero);
                            v.owner = null;
                            if (current != v) pf.ownerReleased();
                            continue;
                        }
                        v.owner = null;
                        v.guest.crash("vcpu " + v.id + ": KVM_RUN failed, errno " + err);
                        need = true;
                        continue;
                    }
                    int action;
                    try {
                        action = v.handleExit();
                    } catch (RuntimeException e) {
                        pf.hostLog("machine thread " + Thread.currentThread().getName() + ": vcpu " + v.id + ": exit handling failed: " + e);
                        v.guest.crash("vcpu " + v.id + ": exit handling failed: " + e);
                        action = KvmVcpu.RESCHEDULE;
                    }
                    v.owner = null;
                    if (current != v) pf.ownerReleased();
                    if (action == KvmVcpu.RESCHEDULE) need = true;
                    else continuedAt = left;
                }
            } finally {
                current = null;
                // no kick may be sent from now on: kicks are sent under the machine lock
                tid = 0;
                kickPending.set(true);
                lock.unlock();
            }
            Native.timerDelete(timer);
            timer = null;
            // the thread's exit path unblocks signals: leave nothing pending that would kill the JVM
            Native.drainSignal(sigset, zero);
        } catch (org.hvkit.api.platform.MachineLock.Abandoned e) {
            // a scheduler hook overran its bound in this thread; another carrier runs this pCPU now
            ready.countDown();
        } catch (RuntimeException | Error e) {
            pf.log("pCPU " + cpu + " stopped: " + e);
            pf.hostLog("machine thread " + Thread.currentThread().getName() + ": pCPU " + cpu + " stopped: " + e);
            ready.countDown();
            throw e;
        } finally {
            if (timer != null) Native.timerDelete(timer);
            tid = 0;
        }
    }

    /** Waits on {@link #wakeup} (releasing the machine lock); interrupts are ignored, stop is a flag. */
    private void await(long ns) {
        try {
            wakeup.awaitNanos(ns);
        } catch (InterruptedException e) {
            // stopping is signalled through the flag and the condition
        }
    }

    private void drain(MemorySegment sigset, MemorySegment zero) {
        kickPending.set(false);
        Native.drainSignal(sigset, zero);
    }
}
