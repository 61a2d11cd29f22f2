package org.hvkit.platform.kvm.internal;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import org.hvkit.api.timer.HvTimer;
import org.hvkit.api.timer.TimerService;

/**
 * The hypervisor's timers on CLOCK_MONOTONIC ({@link System#nanoTime}, which is CLOCK_MONOTONIC
 * on Linux), relative to the platform's start. One thread fires them; it waits on a condition of
 * the machine lock and fires callbacks holding it, so callbacks run in machine context. Equal
 * deadlines fire in arming order.
 *
 * <p>Kept inside the KVM platform for now; it is self-contained so a {@code bundles/timer} module
 * can take it over.
 */
final class KvmTimers implements TimerService {
    private final ReentrantLock lock;
    private final Condition changed;
    private final long origin;
    private final PriorityQueue<T> queue = new PriorityQueue<>((a, b) -> a.deadline != b.deadline ? Long.compare(a.deadline, b.deadline) : Long.compare(a.seq, b.seq));
    private long nextSeq;
    private volatile boolean stopping;
    private Thread thread;
    /** Lateness of fired timers (ns), for figures. */
    long fired, lateSum, lateMax;

    KvmTimers(ReentrantLock machineLock, long origin) {
        this.lock = machineLock;
        this.changed = machineLock.newCondition();
        this.origin = origin;
    }

    long origin() {
        return origin;
    }

    @Override
    public long now() {
        return System.nanoTime() - origin;
    }

    @Override
    public HvTimer createTimer(int cpu, LongConsumer callback) {
        return new T(callback);
    }

    void start() {
        thread = Thread.ofPlatform().name("hvkit-kvm-timers").daemon().start(this::loop);
    }

    void stop() {
        stopping = true;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
    }

    private void loop() {
        lock.lock();
        try {
            while (!stopping) {
                T t = queue.peek();
                long now = now();
                if (t == null) {
                    changed.await(1, TimeUnit.SECONDS);
                } else if (t.deadline > now) {
                    changed.awaitNanos(t.deadline - now);
                } else {
                    queue.poll();
                    t.queued = false;
                    long late = now - t.deadline;
                    t.deadline = -1;
                    fired++;
                    lateSum += late;
                    lateMax = Math.max(lateMax, late);
                    try {
                        t.callback.accept(now);
                    } catch (RuntimeException | Error e) {
                        System.getLogger(KvmTimers.class.getName()).log(System.Logger.Level.ERROR, "timer callback threw", e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private final class T implements HvTimer {
        final LongConsumer callback;
        long deadline = -1;
        long seq;
        boolean queued;

        T(LongConsumer callback) {
            this.callback = callback;
        }

        @Override
        public void set(long deadlineNs) {
            lock.lock();
            try {
                if (queued) queue.remove(this);
                deadline = deadlineNs;
                seq = nextSeq++;
                queue.add(this);
                queued = true;
                if (queue.peek() == this) changed.signal();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void stop() {
            lock.lock();
            try {
                if (queued) queue.remove(this);
                queued = false;
                deadline = -1;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean isActive() {
            return deadline >= 0;
        }

        @Override
        public long deadline() {
            return deadline;
        }
    }
}
