package org.hvkit.memaccess.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.hvkit.api.memaccess.AccessEnforcement;
import org.hvkit.api.memaccess.AccessEvent;
import org.hvkit.api.memaccess.AccessResponse;
import org.hvkit.api.memaccess.Verdict;
import org.hvkit.api.memaccess.Violation;
import org.hvkit.api.memaccess.ViolationHandler;
import org.hvkit.api.p2m.P2m;
import org.hvkit.api.p2m.P2mAccess;

/**
 * One domain's memory access state: Xen 4.2's {@code p2m_mem_access_check} rules, its listener
 * session, and the event ring's slots and flow control ({@code mem_event.c}).
 *
 * <p>Locking: {@code this} guards the state. Machine context enters it through {@link #violation};
 * other threads enter it briefly and never call the platform while holding it (calls that may
 * wait for machine context are collected and run after the lock is released), so a machine
 * thread waiting here never waits for a thread that waits for machine context.
 */
final class DomainAccess implements ViolationHandler {
    /** Slots of 4.2's ring: a 4 KiB page, a 64-byte header, 40-byte requests, rounded down to a power of two. */
    static final int RING_SLOTS = 64;

    final int domid;
    private final MemAccessService service;
    private AccessEnforcement enf;
    private int vcpus;
    private volatile boolean accessRequired;
    private Session session;
    /** Slots in use: events put on the ring and not yet answered. */
    private int unanswered;
    /** vCPUs that found the ring full and wait to retry their access (Xen's wait queue). */
    private final ArrayDeque<Integer> waiting = new ArrayDeque<>();
    private int[] pausedByEvent;
    /** Paused on the way out because free slots fell below the vCPU count (mem_event_mark_and_pause). */
    private boolean[] blocked;
    private boolean[] completePending;
    private int blockedCount;
    private int lastWake = -1;
    private long seq;
    private boolean gone;
    /** Totals for the benchmark and tests. */
    long violations, autoRx2rw, droppedNoListener, eventsPut, ringWaits, ringBlocks;

    DomainAccess(int domid, MemAccessService service) {
        this.domid = domid;
        this.service = service;
    }

    /** Attaches to the platform; called once, before anyone else sees this object. */
    synchronized void attach(org.hvkit.api.memaccess.AccessPlatform platform) {
        enf = platform.attach(domid, this);
        vcpus = Math.max(1, enf.vcpus());
        pausedByEvent = new int[vcpus];
        blocked = new boolean[vcpus];
        completePending = new boolean[vcpus];
    }

    synchronized P2m p2m() {
        return enf.p2m();
    }

    synchronized AccessEnforcement enforcement() {
        return enf;
    }

    void setAccessRequired(boolean r) {
        accessRequired = r;
    }

    boolean accessRequired() {
        return accessRequired;
    }

    synchronized Session session() {
        return session;
    }

    synchronized boolean gone() {
        return gone;
    }

    /** Starts a session; EBUSY is the caller's when one is active. Returns false when the domain is gone. */
    synchronized boolean open(Session s) {
        if (gone || session != null) return false;
        session = s;
        return true;
    }

    // ---- machine context

    @Override
    public synchronized Verdict violation(Violation v) {
        if (gone) return Verdict.CONTINUE;
        violations++;
        P2m p2m = enf.p2m();
        long gfn = v.gfn();
        P2mAccess a = p2m.access(gfn);
        if (a.permits(v.access())) return Verdict.CONTINUE; // changed since the platform looked
        boolean write = (v.access() & P2mAccess.WRITE) != 0;
        if (write && a == P2mAccess.RX2RW) {
            p2m.setAccess(gfn, 1, P2mAccess.RW);
            autoRx2rw++;
            return Verdict.CONTINUE;
        }
        if (session != null && unanswered >= RING_SLOTS) {
            // no slot: the vCPU waits and retries its access once one frees (4.2 mem_event_wait_slot)
            if (!waiting.contains(v.vcpu())) waiting.add(v.vcpu());
            ringWaits++;
            return Verdict.PAUSE;
        }
        boolean n2 = a == P2mAccess.N2RWX;
        if (n2) p2m.setAccess(gfn, 1, P2mAccess.RWX);
        if (session == null) {
            if (accessRequired) {
                enf.log("Memory access permissions failure, no mem_event listener VCPU " + v.vcpu() + ", dom " + domid);
                enf.crash("mem-access: access required and no listener (gfn " + Long.toHexString(gfn) + ", vcpu " + v.vcpu() + ")");
                return Verdict.CRASHED;
            }
            if (!n2) p2m.setAccess(gfn, 1, P2mAccess.RWX);
            droppedNoListener++;
            return Verdict.CONTINUE;
        }
        int bits = v.access();
        AccessEvent e = new AccessEvent(domid, v.vcpu(), gfn, v.offset(), (bits & P2mAccess.READ) != 0, write, (bits & P2mAccess.EXEC) != 0,
                v.glaValid() ? v.gla() : 0, v.glaValid(), !n2, ++seq);
        unanswered++;
        eventsPut++;
        session.offer(e);
        Verdict verdict = Verdict.CONTINUE;
        int c = v.vcpu();
        if (c < 0 || c >= vcpus) return verdict;
        if (!n2) {
            pausedByEvent[c]++;
            verdict = Verdict.PAUSE;
        }
        if (RING_SLOTS - unanswered < vcpus && !blocked[c]) {
            blocked[c] = true;
            blockedCount++;
            ringBlocks++;
            verdict = Verdict.PAUSE;
        }
        return verdict;
    }

    @Override
    public void destroyed() {
        Session s;
        synchronized (this) {
            if (gone) return;
            gone = true;
            s = session;
            session = null;
            waiting.clear();
        }
        if (s != null) s.ended("domain " + domid + " destroyed");
        service.forget(this);
    }

    // ---- the session's thread and the watchdog

    /** The listener answered {@code e}. */
    void answered(Session s, AccessEvent e, AccessResponse r) {
        List<Runnable> after = new ArrayList<>();
        P2m p2m;
        synchronized (this) {
            if (s != session || gone) return;
            p2m = enf.p2m();
        }
        if (r.newAccess() != null) {
            try {
                p2m.setAccess(e.gfn(), 1, r.newAccess());
            } catch (IllegalArgumentException x) {
                service.log(this, "mem-access: d" + domid + " listener's access change refused: " + x.getMessage());
            }
        }
        synchronized (this) {
            if (s != session || gone) return;
            unanswered--;
            if (r.action() == AccessResponse.Action.CRASH) {
                AccessEnforcement en = enf;
                long n = e.sequence();
                after.add(() -> en.crash("mem-access: the listener crashed the domain (answer to event " + n + ")"));
            } else if (e.vcpuPaused()) {
                release(e.vcpu(), r.action() == AccessResponse.Action.COMPLETE_ONCE, after);
            }
            wake(after);
        }
        after.forEach(Runnable::run);
    }

    /** Ends {@code s} (closed, disconnected): pending events count as answered "resume", every vCPU held for it goes on. */
    void end(Session s, String reason, boolean log) {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            if (s != session) return;
            session = null;
            unanswered = 0;
            for (int v = 0; v < vcpus; v++) {
                if (pausedByEvent[v] > 0 || blocked[v]) after.add(resumer(v, false));
                pausedByEvent[v] = 0;
                blocked[v] = false;
                completePending[v] = false;
            }
            blockedCount = 0;
            while (!waiting.isEmpty()) after.add(resumer(waiting.poll(), false));
        }
        if (log) service.log(this, "mem-access: d" + domid + " listener " + reason);
        s.ended(reason);
        after.forEach(Runnable::run);
    }

    private void release(int v, boolean complete, List<Runnable> after) {
        if (v < 0 || v >= vcpus || pausedByEvent[v] == 0) return;
        pausedByEvent[v]--;
        if (complete) completePending[v] = true;
        if (pausedByEvent[v] == 0 && !blocked[v]) {
            after.add(resumer(v, completePending[v]));
            completePending[v] = false;
        }
    }

    /** After a slot freed: waiters first, then vCPUs blocked by the flow control (4.2 mem_event_wake). */
    private void wake(List<Runnable> after) {
        int avail = RING_SLOTS - unanswered;
        if (!waiting.isEmpty()) {
            for (int i = 0; i < avail && !waiting.isEmpty(); i++) after.add(resumer(waiting.poll(), false));
            return;
        }
        if (avail == 0 || blockedCount == 0) return;
        // Xen keeps only as many vCPUs online as there are free slots; with more vCPUs than slots
        // that would hold some paused for ever on an empty ring, so an empty ring frees them all.
        int online = unanswered == 0 ? Integer.MIN_VALUE / 2 : vcpus - blockedCount;
        for (int i = lastWake + 1, j = 0; j < vcpus; i++, j++) {
            int k = i % vcpus;
            if (blockedCount == 0 || online >= avail) break;
            if (blocked[k]) {
                blocked[k] = false;
                blockedCount--;
                online++;
                lastWake = k;
                if (pausedByEvent[k] == 0) {
                    after.add(resumer(k, completePending[k]));
                    completePending[k] = false;
                }
            }
        }
    }

    private Runnable resumer(int v, boolean complete) {
        AccessEnforcement en = enf;
        return () -> en.resume(v, complete);
    }

    /** vCPUs held for the session now (paused by an event, blocked by flow control, or waiting for a slot). */
    synchronized int held() {
        int n = waiting.size();
        for (int v = 0; v < vcpus; v++) if (pausedByEvent[v] > 0 || blocked[v]) n++;
        return n;
    }

    synchronized int unanswered() {
        return unanswered;
    }
}
