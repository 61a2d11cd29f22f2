package org.hvkit.core.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.hvkit.api.platform.MachineLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds every call into a scheduler instance by wall-clock time and by what it allocates.
 *
 * <p>Only the thread in machine context calls hooks, so one call is in progress at a time. Its
 * state is one atomic word, {@code seq << 2 | phase}: OUT, IN_HOOK (plugin code runs), IN_CORE (the
 * plugin called back into its {@link PoolContext}) and REVOKED. A watchdog thread samples the word
 * every {@link #PERIOD_NS}; when one call has overrun its pool's bound and is in plugin code, it
 * moves IN_HOOK to REVOKED with a compare-and-set. The calling thread leaves a hook with a
 * compare-and-set of its own, so exactly one of the two wins: either the call returned in time, or
 * the thread is abandoned and never touches machine state again. The watchdog then seizes the
 * {@link MachineLock} from it, evicts the pool's scheduler and lets the platform replace the thread.
 *
 * <p>Time accrues only between samples that are close together, so a pause of the whole JVM (a
 * GC, a debugger) is not charged to the hook that happened to be running.
 */
final class HookGuard {
    static final long PERIOD_NS = 5_000_000L;
    private static final long OUT = 0, IN_HOOK = 1, IN_CORE = 2, REVOKED = 3;
    private static final Logger LOG = LoggerFactory.getLogger(HookGuard.class);

    /** What the core does when a call overran: called in machine context (the lock seized). */
    interface Revocation {
        void revoked(Overrun o);
    }

    /** One overrun: the bound crossed, by how much, in which hook, with the stuck thread's stack. */
    record Overrun(CpuPool pool, String hook, int cpu, String bound, long limit, long observed, Thread thread, StackTraceElement[] stack) {
        String unit() {
            return bound.equals("allocation") ? "MiB" : "ms";
        }

        String describe() {
            double div = bound.equals("allocation") ? 1024.0 * 1024 : 1e6;
            return String.format(java.util.Locale.ROOT, "%s bound: %s%s %s %.0f %s (bound %.0f %s, %.0f %s over); thread %s abandoned", bound,
                    hook, cpu >= 0 ? " on cpu " + cpu : "", bound.equals("allocation") ? "allocated" : "did not return for", observed / div, unit(),
                    limit / div, unit(), (observed - limit) / div, unit(), thread.getName());
        }
    }

    private final AtomicLong state = new AtomicLong();
    private final MachineLock lock;
    private final Revocation onRevoke;
    // the current call, written by its thread before it publishes IN_HOOK
    private CpuPool pool;
    private String hook;
    private int cpu;
    private Thread thread;
    private volatile boolean closed;
    private Thread watchdog;
    private final AllocationMeter alloc = AllocationMeter.create();

    HookGuard(MachineLock lock, Revocation onRevoke) {
        this.lock = lock;
        this.onRevoke = onRevoke;
    }

    boolean enabled() {
        return lock != null;
    }

    static void rethrowIfAbandoned(Throwable e) {
        if (e instanceof MachineLock.Abandoned a) throw a;
    }

    /** @return whether this is the outermost hook call (only that one calls {@link #exit}) */
    boolean enter(CpuPool p, String h, int c) {
        Thread t = Thread.currentThread();
        long s = state.get();
        if ((s & 3) != OUT && thread == t) {
            if ((s & 3) == REVOKED) throw abandoned(t);
            return false;
        }
        if (lock != null && lock.isAbandoned(t)) throw abandoned(t);
        pool = p;
        hook = h;
        cpu = c;
        thread = t;
        state.setRelease((((s >>> 2) + 1) << 2) | IN_HOOK);
        return true;
    }

    void exit() {
        long s = state.get();
        if ((s & 3) != IN_HOOK || thread != Thread.currentThread() || !state.compareAndSet(s, s & ~3L)) {
            throw abandoned(Thread.currentThread());
        }
    }

    /** The plugin calls back into the core (tickle, timers): no revocation while that runs. */
    boolean callbackEnter() {
        long s = state.get();
        if (thread != Thread.currentThread()) return false;
        if ((s & 3) == REVOKED) throw abandoned(thread);
        if ((s & 3) != IN_HOOK) return false;
        if (!state.compareAndSet(s, (s & ~3L) | IN_CORE)) throw abandoned(thread);
        return true;
    }

    void callbackExit() {
        long s = state.get();
        state.set((s & ~3L) | IN_HOOK);
    }

    private static MachineLock.Abandoned abandoned(Thread t) {
        return new MachineLock.Abandoned(t.getName() + " was abandoned inside a scheduler hook that overran its bound");
    }

    // ------------------------------------------------------------------ the watchdog thread

    void start() {
        if (lock == null || watchdog != null) return;
        watchdog = Thread.ofPlatform().name("hvkit-hook-watchdog").daemon().start(this::watch);
    }

    void close() {
        closed = true;
        Thread w = watchdog;
        if (w != null) LockSupport.unpark(w);
    }

    private void watch() {
        long lastSeq = -1, accrued = 0, allocStart = 0;
        long last = System.nanoTime();
        while (!closed) {
            LockSupport.parkNanos(PERIOD_NS);
            long now = System.nanoTime();
            long gap = Math.min(now - last, 2 * PERIOD_NS);
            last = now;
            long s = state.getAcquire();
            long phase = s & 3;
            if (phase != IN_HOOK && phase != IN_CORE) {
                lastSeq = -1;
                continue;
            }
            CpuPool p = pool;
            String h = hook;
            int c = cpu;
            Thread t = thread;
            if (state.getAcquire() != s || p == null || t == null) continue; // it moved on while we looked
            if ((s >>> 2) != lastSeq) {
                lastSeq = s >>> 2;
                accrued = 0;
                allocStart = alloc.allocated(t);
                continue;
            }
            accrued += gap;
            long allocated = alloc.allocated(t) - allocStart;
            long hookBound = p.hookBoundNs, allocBound = p.allocBoundBytes;
            boolean overTime = hookBound > 0 && accrued > hookBound;
            boolean overAlloc = !overTime && allocBound > 0 && allocated > allocBound;
            if (!(overTime || overAlloc) || phase != IN_HOOK) continue;
            if (!state.compareAndSet(s, (s & ~3L) | REVOKED)) continue; // it returned just now
            revoke(overTime ? new Overrun(p, h, c, "wall-clock", hookBound, accrued, t, t.getStackTrace())
                    : new Overrun(p, h, c, "allocation", allocBound, allocated, t, t.getStackTrace()));
            lastSeq = -1;
        }
    }

    private void revoke(Overrun o) {
        boolean seized = lock.seize(o.thread());
        if (!seized) lock.lock(); // the stuck thread did not hold it (a hook called outside machine context): wait our turn
        try {
            // no call is in progress now: the next holder starts from OUT
            long s = state.get();
            thread = null;
            state.set(((s >>> 2) + 1) << 2);
            onRevoke.revoked(o);
        } catch (RuntimeException | Error e) {
            LOG.error("handling an overrun of {} failed", o.describe(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Bytes a thread allocated so far (HotSpot's per-thread counter), or 0 where the JVM does not count. */
    static final class AllocationMeter {
        private final ThreadMXBean bean;
        private final Method perThread;
        private boolean warned;

        private AllocationMeter(ThreadMXBean bean, Method perThread) {
            this.bean = bean;
            this.perThread = perThread;
        }

        static AllocationMeter create() {
            try {
                ThreadMXBean bean = ManagementFactory.getThreadMXBean();
                // com.sun.management is loaded from the platform loader: bundles need not import it
                Class<?> ext = Class.forName("com.sun.management.ThreadMXBean", false, ClassLoader.getPlatformClassLoader());
                if (!ext.isInstance(bean)) {
                    LOG.warn("this JVM does not count allocation per thread: the allocation bound is off");
                    return new AllocationMeter(null, null);
                }
                return new AllocationMeter(bean, ext.getMethod("getThreadAllocatedBytes", long.class));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.warn("this JVM does not count allocation per thread ({}): the allocation bound is off", e.toString());
                return new AllocationMeter(null, null);
            }
        }

        long allocated(Thread t) {
            if (perThread == null) return 0;
            try {
                long v = (long) perThread.invoke(bean, t.threadId());
                return Math.max(v, 0);
            } catch (ReflectiveOperationException | RuntimeException e) {
                if (!warned) {
                    warned = true;
                    LOG.warn("reading a thread's allocation failed ({}): the allocation bound is off", e.toString());
                }
                return 0;
            }
        }
    }
}
