package org.hvkit.api.platform;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The machine-context lock of a platform: a reentrant lock that the core can take away from a
 * thread stuck inside a plugin. Holding it is being in machine context.
 *
 * <p>{@link #seize} hands the lock to the calling thread while another thread still holds it, and
 * marks that thread <em>abandoned</em>: from then on it never holds the lock again. Its
 * {@link #unlock} calls do nothing (so its {@code finally} blocks unwind quietly), and any
 * {@link #lock} it tries throws {@link Abandoned}. The core seizes only while the stuck thread is
 * inside plugin code, never while it is inside the core or the platform, so nothing the stuck
 * thread does can race with the new holder (see the core's hook guard).
 *
 * <p>It extends {@link ReentrantLock} so that code written against that type (the timer bundle's
 * {@code TimerFactory.monotonic}) takes it unchanged; every method of the lock is this class's own.
 */
public class MachineLock extends ReentrantLock {
    private static final long serialVersionUID = 1L;

    /**
     * Thrown in an abandoned thread when it tries to re-enter machine context. Platform threads
     * catch it and end; nothing else should.
     */
    public static final class Abandoned extends Error {
        private static final long serialVersionUID = 1L;

        public Abandoned(String message) {
            super(message, null, false, false);
        }
    }

    private final Sync sync = new Sync();
    private final Set<Thread> abandoned = ConcurrentHashMap.newKeySet();
    /** Non-zero once any thread was abandoned: keeps the common path to one volatile read. */
    private volatile boolean anyAbandoned;

    private static final class Sync extends AbstractQueuedSynchronizer {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean tryAcquire(int n) {
            Thread t = Thread.currentThread();
            int c = getState();
            if (c == 0) {
                if (compareAndSetState(0, n)) {
                    setExclusiveOwnerThread(t);
                    return true;
                }
                return false;
            }
            if (getExclusiveOwnerThread() == t) {
                setState(c + n);
                return true;
            }
            return false;
        }

        @Override
        protected boolean tryRelease(int n) {
            if (getExclusiveOwnerThread() != Thread.currentThread()) throw new IllegalMonitorStateException();
            int c = getState() - n;
            if (c == 0) setExclusiveOwnerThread(null);
            setState(c);
            return c == 0;
        }

        @Override
        protected boolean isHeldExclusively() {
            return getExclusiveOwnerThread() == Thread.currentThread();
        }

        Thread owner() {
            return getExclusiveOwnerThread();
        }

        int holds() {
            return isHeldExclusively() ? getState() : 0;
        }

        boolean locked() {
            return getState() != 0;
        }

        /** Makes the caller the holder (once) in place of {@code from}; the caller must not hold it. */
        boolean takeFrom(Thread from) {
            if (getExclusiveOwnerThread() != from || getState() == 0) return false;
            setExclusiveOwnerThread(Thread.currentThread());
            setState(1);
            return true;
        }

        Condition condition() {
            return new ConditionObject();
        }
    }

    private void checkNotAbandoned() {
        if (anyAbandoned && abandoned.contains(Thread.currentThread())) {
            throw new Abandoned(Thread.currentThread().getName() + " was abandoned: it overran a bound inside a plugin and may not re-enter machine context");
        }
    }

    /** Whether {@code t} was abandoned by {@link #seize}. */
    public boolean isAbandoned(Thread t) {
        return anyAbandoned && abandoned.contains(t);
    }

    /**
     * Takes the lock from {@code stuck}, which holds it, and abandons that thread. The caller must
     * not hold the lock; it holds it once on return, and releases it with {@link #unlock}.
     *
     * @return false when {@code stuck} did not hold the lock (nothing changed)
     */
    public boolean seize(Thread stuck) {
        if (stuck == Thread.currentThread()) throw new IllegalArgumentException("a thread cannot seize the lock from itself");
        abandoned.add(stuck);
        anyAbandoned = true;
        if (sync.takeFrom(stuck)) return true;
        abandoned.remove(stuck);
        return false;
    }

    /**
     * Forgets an abandoned thread once it has ended, so the set does not grow; a thread may also
     * forget itself as the very last thing it does before it ends. A thread that lives on (a pool's
     * worker) stays abandoned: it must not be reused for machine work.
     */
    public void forget(Thread t) {
        if (!t.isAlive() || t == Thread.currentThread()) abandoned.remove(t);
    }

    @Override
    public void lock() {
        checkNotAbandoned();
        sync.acquire(1);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        checkNotAbandoned();
        sync.acquireInterruptibly(1);
    }

    @Override
    public boolean tryLock() {
        checkNotAbandoned();
        return sync.tryAcquire(1);
    }

    @Override
    public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
        checkNotAbandoned();
        return sync.tryAcquireNanos(1, unit.toNanos(timeout));
    }

    /** Releases one hold; in an abandoned thread it does nothing. */
    @Override
    public void unlock() {
        if (anyAbandoned && abandoned.contains(Thread.currentThread()) && sync.owner() != Thread.currentThread()) return;
        sync.release(1);
    }

    @Override
    public Condition newCondition() {
        return sync.condition();
    }

    @Override
    public int getHoldCount() {
        return sync.holds();
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return sync.isHeldExclusively();
    }

    @Override
    public boolean isLocked() {
        return sync.locked();
    }

    @Override
    protected Thread getOwner() {
        return sync.owner();
    }

    /** The holder, or null: for diagnostics (the hook guard's stuck-thread check). */
    public Thread holder() {
        return sync.owner();
    }

    @Override
    public String toString() {
        Thread o = sync.owner();
        return "MachineLock[" + (o == null ? "unlocked" : "held by " + o.getName()) + "]";
    }
}
