package org.hvkit.timer.internal;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import org.hvkit.api.timer.HvTimer;
import org.hvkit.api.timer.MonotonicTimers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Timers on CLOCK_MONOTONIC ({@link System#nanoTime} is CLOCK_MONOTONIC on Linux), relative to
 * their creation. One thread fires them: it waits on a condition of the machine lock and runs
 * callbacks holding it, so callbacks run in machine context, and arming a timer from machine
 * context (the common case) needs no other lock. Equal deadlines fire in arming order. A callback
 * that throws is logged and the others go on firing.
 */
final class MonotonicTimerQueue implements MonotonicTimers {
    private static final Logger LOG = LoggerFactory.getLogger(MonotonicTimerQueue.class);
    private final String name;
    private final ReentrantLock lock;
    private final Condition changed;
    private final long origin = System.nanoTime();
    private final PriorityQueue<Timer> queue = new PriorityQueue<>((a, b) -> a.deadline != b.deadline ? Long.compare(a.deadline, b.deadline) : Long.compare(a.seq, b.seq));
    private long nextSeq;
    private volatile boolean closing;
    private Thread thread;
    private long fired, lateSum, lateMax;

    MonotonicTimerQueue(String name, ReentrantLock machineLock) {
        this.name = name;
        this.lock = machineLock;
        this.changed = machineLock.newCondition();
    }

    @Override
    public long now() {
        return System.nanoTime() - origin;
    }

    @Override
    public HvTimer createTimer(int cpu, LongConsumer callback) {
        return new Timer(callback);
    }

    @Override
    public synchronized void start() {
        if (thread != null || closing) throw new IllegalStateException(name + ": already started or closed");
        thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
    }

    @Override
    public void close() {
        closing = true;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The firing thread was abandoned inside a callback: start another. Machine context. */
    @Override
    public void abandoned(Thread t) {
        synchronized (this) {
            if (t != thread || closing) return;
            thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
        }
        LOG.warn("{}: firing thread {} abandoned in a callback; a new one fires the timers", name, t.getName());
    }

    @Override
    public long fired() {
        lock.lock();
        try {
            return fired;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long meanLatenessNs() {
        lock.lock();
        try {
            return fired == 0 ? 0 : lateSum / fired;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long maxLatenessNs() {
        lock.lock();
        try {
            return lateMax;
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        lock.lock();
        try {
            while (!closing) {
                Timer t = queue.peek();
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
                    } catch (org.hvkit.api.platform.MachineLock.Abandoned e) {
                        throw e; // this thread overran in a plugin's callback; another fires the timers now
                    } catch (RuntimeException | Error e) {
                        LOG.error("{}: a timer callback threw; the other timers go on", name, e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private final class Timer implements HvTimer {
        final LongConsumer callback;
        long deadline = -1;
        long seq;
        boolean queued;

        Timer(LongConsumer callback) {
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
                // only a new earliest deadline shortens the firing thread's wait
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
