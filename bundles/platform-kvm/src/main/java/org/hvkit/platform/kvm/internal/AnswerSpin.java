package org.hvkit.platform.kvm.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A carrier's short wait for a memory-access listener's answer to the violation it just raised
 * (issue 16: an event round trip cost 2.1-2.4x a plain exit, most of it parking the carrier and
 * waking it again). The carrier releases the machine lock and spins up to {@link #SPIN_NS}; an
 * answer offered meanwhile (any thread, lock-free) is handed over in one atomic word. After the
 * spin the carrier takes the lock back and exactly one of the two wins the word: the answer
 * (carried out by the carrier at once) or the time-out (the vCPU is paused, and a later answer
 * takes the usual path through machine context). A listener that stalls costs the carrier at most
 * the spin; the mem-access bundle's watchdog still disconnects it.
 *
 * <p>While the carrier spins, the vCPU stays owned by it (no other carrier enters it) and the
 * machine lock is free, so other pCPUs and the toolstack go on as during {@code KVM_RUN}.
 */
final class AnswerSpin {
    /** The spin's bound: long enough for a listener that answers at once, short against a slice. */
    static final long SPIN_NS = 100_000;
    /** No answer came (or no spin): the vCPU is paused as before. */
    static final int NONE = 0;
    static final int RESUME = 1, COMPLETE_ONCE = 2;
    private static final int IDLE = 0, SPINNING = 3;
    /** Off for a run (the benchmark compares both in one run); on by default. */
    static volatile boolean enabled = true;

    private final AtomicInteger word = new AtomicInteger(IDLE);
    /** Answers carried out on the carrier / spins that ran out / spins skipped by the back-off (figures). */
    long caught, missed, skipped;
    /**
     * Back-off (machine context): after a spin that ran out the next ones are skipped, 1, 2, 4 ...
     * up to 64 violations, so a slow listener, or a host whose cores are all busy, does not cost a
     * host CPU 100 us per event for nothing; a spin that catches resets it.
     */
    private int skip, skipNext = 1;

    /**
     * The carrier waits for an answer. Called with the machine lock held exactly once by the
     * carrier that owns the vCPU (else no spin: NONE); returns with it held again.
     */
    int await(ReentrantLock lock, KvmVcpu v) {
        if (!enabled || lock.getHoldCount() != 1 || v.owner == null || !v.owner.runsOn(Thread.currentThread())) return NONE;
        if (skip > 0) {
            skip--;
            skipped++;
            return NONE;
        }
        word.set(SPINNING);
        lock.unlock();
        try {
            long end = System.nanoTime() + SPIN_NS;
            while (word.get() == SPINNING && !v.dead && System.nanoTime() < end) Thread.onSpinWait();
        } finally {
            lock.lock();
        }
        int w = word.getAndSet(IDLE);
        if (w == SPINNING) {
            missed++;
            skip = skipNext;
            skipNext = Math.min(skipNext * 2, 64);
            return NONE;
        }
        caught++;
        skipNext = 1;
        return w;
    }

    /** The listener's answer: true when a spinning carrier took it (it carries it out), false when none spins. Any thread. */
    boolean offer(boolean completeOnce) {
        return word.compareAndSet(SPINNING, completeOnce ? COMPLETE_ONCE : RESUME);
    }
}
