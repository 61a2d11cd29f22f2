package org.hvkit.memaccess.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hvkit.api.memaccess.AccessEvent;
import org.hvkit.api.memaccess.AccessResponse;
import org.hvkit.api.memaccess.MemAccessListener;
import org.hvkit.api.memaccess.MemAccessSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener enabled for one domain, with its own delivery thread: the ring's requests are
 * handed to the listener one at a time, so a slow or stuck listener holds up only its own domain's
 * violating vCPUs, and the service's watchdog disconnects it once it overruns its bound.
 */
final class Session implements MemAccessSession {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    /**
     * After answering an event the delivery thread spins this long for the next one before it
     * parks: a vCPU that goes on violating (a writer under watch) raises its next event within
     * about one exit, and handing it to a parked thread costs a wake-up as long as the exit itself.
     */
    static final long SPIN_NS = 200_000;

    private final DomainAccess dom;
    private final MemAccessListener listener;
    private final ArrayBlockingQueue<AccessEvent> queue = new ArrayBlockingQueue<>(DomainAccess.RING_SLOTS);
    private final Thread thread;
    private final AtomicLong delivered = new AtomicLong();
    private volatile String endReason;
    /** When the listener call in progress began (nanoTime), 0 when none is. */
    private volatile long callStart;
    private volatile AccessEvent current;
    private final long spinNs;
    /** Events offered so far: the spin watches this word instead of the queue's lock. */
    private volatile long offered;
    /**
     * Back-off (delivery thread only): after a spin that ran out the next ones are skipped, 1, 2, 4
     * ... up to 64 answers, so on a host whose cores are all busy (the spin then only delays the
     * thread that would raise the next event) spinning stops costing; one that catches resets it.
     */
    private int skip, skipNext = 1;

    Session(DomainAccess dom, MemAccessListener listener, long spinNs) {
        this.dom = dom;
        this.listener = listener;
        this.spinNs = spinNs;
        this.thread = Thread.ofPlatform().daemon().name("hvkit-mem-access-d" + dom.domid).unstarted(this::deliver);
    }

    void start() {
        thread.start();
    }

    /** Machine context: never blocks; the ring's slot accounting keeps the queue from overflowing. */
    void offer(AccessEvent e) {
        if (!queue.offer(e)) LOG.error("mem-access d{}: ring overflow, event {} lost (slot accounting broken)", dom.domid, e);
        offered++; // DomainAccess's monitor serialises offers
    }

    /** The next event: spun for briefly right after an answer, else waited for (100 ms, then null). */
    private AccessEvent next(boolean justAnswered) throws InterruptedException {
        if (justAnswered && spinNs > 0) {
            long seen = offered; // before the poll: an event offered after it ends the spin at once
            AccessEvent e = queue.poll();
            if (e != null) return e;
            if (skip > 0) {
                skip--;
            } else {
                long end = System.nanoTime() + spinNs;
                while (offered == seen && endReason == null && System.nanoTime() < end) Thread.onSpinWait();
                e = queue.poll();
                if (e != null) {
                    skipNext = 1;
                    return e;
                }
                skip = skipNext;
                skipNext = Math.min(skipNext * 2, 64);
            }
        }
        return queue.poll(100, TimeUnit.MILLISECONDS);
    }

    private void deliver() {
        boolean justAnswered = false;
        while (endReason == null) {
            AccessEvent e;
            try {
                e = next(justAnswered);
            } catch (InterruptedException x) {
                return;
            }
            justAnswered = false;
            if (e == null || endReason != null) continue;
            AccessResponse r;
            current = e;
            callStart = System.nanoTime() | 1;
            try {
                r = listener.onEvent(e);
            } catch (Throwable t) {
                callStart = 0;
                if (endReason == null) dom.end(this, "disconnected: threw " + t + " on event " + e.sequence(), true);
                return;
            }
            callStart = 0;
            if (endReason != null) return;
            if (r == null) {
                dom.end(this, "disconnected: answered nothing (null) to event " + e.sequence(), true);
                return;
            }
            delivered.incrementAndGet();
            dom.answered(this, e, r);
            justAnswered = true;
        }
    }

    /** The call in progress has run longer than {@code boundNs}: the event it holds, else null. */
    AccessEvent overdue(long now, long boundNs) {
        long s = callStart;
        return s != 0 && endReason == null && now - s > boundNs ? current : null;
    }

    Thread thread() {
        return thread;
    }

    /** The session is over: the delivery thread stops (abandoned if stuck in the listener) and the listener hears why. */
    void ended(String reason) {
        if (endReason != null) return;
        endReason = reason;
        queue.clear();
        if (Thread.currentThread() != thread) thread.interrupt();
        Thread.ofVirtual().name("hvkit-mem-access-bye-d" + dom.domid).start(() -> {
            try {
                listener.disconnected(reason);
            } catch (Throwable t) {
                LOG.warn("mem-access d{}: listener's disconnected() threw", dom.domid, t);
            }
        });
    }

    @Override
    public int domainId() {
        return dom.domid;
    }

    @Override
    public boolean active() {
        return endReason == null;
    }

    @Override
    public String endReason() {
        return endReason;
    }

    @Override
    public long delivered() {
        return delivered.get();
    }

    @Override
    public int pending() {
        return endReason == null ? dom.unanswered() : 0;
    }

    @Override
    public void close() {
        dom.end(this, "closed", false);
    }
}
