package org.hvkit.memaccess.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.hvkit.api.memaccess.AccessEvent;
import org.hvkit.api.memaccess.AccessPlatform;
import org.hvkit.api.memaccess.MemAccess;
import org.hvkit.api.memaccess.MemAccessListener;
import org.hvkit.api.memaccess.MemAccessSession;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.toolstack.HypervisorException.Errno;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.hvkit.api.xsm.Permission;
import org.hvkit.api.xsm.Xsm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MemAccess} service on the platform's {@link AccessPlatform}. A domain is attached
 * on first use and stays attached until it is destroyed or this bundle stops. A watchdog thread
 * checks every session's listener call against the answer bound (framework property
 * {@code hvkit.memaccess.answer.ms}, default 1000).
 */
@Component(service = MemAccess.class)
public final class MemAccessService implements MemAccess, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemAccessService.class);
    static final long DEFAULT_ANSWER_NS = 1_000_000_000L;

    private final AccessPlatform platform;
    /** XSM: enable is hvm:mem_event, setting and getting access hvm:hvmctl, as 4.2's flask hooks; null checks nothing (tests of the platform alone). */
    private final Xsm xsm;
    private final long answerNs;
    private final Map<Integer, DomainAccess> domains = new ConcurrentHashMap<>();
    private final Thread watchdog;
    private volatile boolean closed;
    /** How long a session's thread spins for the next event after answering one (Session.SPIN_NS; 0: it parks at once). */
    private volatile long spinNs = Session.SPIN_NS;

    @Activate
    public MemAccessService(@Reference AccessPlatform platform, @Reference Xsm xsm, BundleContext bc) {
        this(platform, xsm, answerBound(bc.getProperty("hvkit.memaccess.answer.ms")));
    }

    /** @param answerNs how long a listener may take over one event before it is disconnected */
    public MemAccessService(AccessPlatform platform, long answerNs) {
        this(platform, null, answerNs);
    }

    /** @param xsm the core's security checks, or null for none */
    public MemAccessService(AccessPlatform platform, Xsm xsm, long answerNs) {
        this.platform = platform;
        this.xsm = xsm;
        this.answerNs = answerNs;
        this.watchdog = Thread.ofPlatform().daemon().name("hvkit-mem-access-watchdog").start(this::watch);
    }

    static long answerBound(String ms) {
        if (ms == null || ms.isBlank()) return DEFAULT_ANSWER_NS;
        try {
            long v = Long.parseLong(ms.strip());
            if (v >= 1 && v <= 3_600_000) return v * 1_000_000L;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("hvkit.memaccess.answer.ms must be 1 to 3600000 (ms), not '" + ms + "'");
    }

    /** Sets the spin of sessions enabled from now on (the benchmark compares with and without); 0 turns it off. */
    public void spinNanos(long ns) {
        if (ns < 0 || ns > 10_000_000L) throw new IllegalArgumentException("mem-access spin must be 0 to 10 ms, not " + ns + " ns");
        spinNs = ns;
    }

    @Deactivate
    public void close() {
        closed = true;
        watchdog.interrupt();
        for (DomainAccess d : domains.values()) {
            Session s = d.session();
            if (s != null) d.end(s, "disconnected: the mem-access service stopped", true);
            d.enforcement().close();
        }
        domains.clear();
    }

    private void check(Permission p, int domid) {
        if (xsm != null) xsm.checkDomain(p, domid);
    }

    // ---- the API

    @Override
    public MemAccessSession enable(int domid, MemAccessListener listener) {
        if (listener == null) throw new HypervisorException(Errno.EINVAL, "mem_access enable for domain " + domid + ": no listener");
        check(Permission.HVM_MEM_EVENT, domid);
        DomainAccess d = domain(domid);
        Session s = new Session(d, listener, spinNs);
        if (!d.open(s)) {
            if (d.gone()) throw new HypervisorException(Errno.ESRCH, "mem_access enable: domain " + domid + " is gone");
            throw new HypervisorException(Errno.EBUSY, "mem_access enable: domain " + domid + " already has a listener");
        }
        s.start();
        return s;
    }

    @Override
    public void setAccess(int domid, long firstGfn, long nr, P2mAccess access) {
        if (access == null) throw new HypervisorException(Errno.EINVAL, "set_mem_access for domain " + domid + ": no access given");
        check(Permission.HVM_HVMCTL, domid);
        if (nr == 0) return;
        DomainAccess d = domain(domid);
        try {
            d.p2m().setAccess(firstGfn, nr, access);
        } catch (IllegalArgumentException e) {
            throw new HypervisorException(Errno.EINVAL, "set_mem_access: " + e.getMessage());
        }
    }

    @Override
    public P2mAccess getAccess(int domid, long gfn) {
        check(Permission.HVM_HVMCTL, domid);
        try {
            return domain(domid).p2m().access(gfn);
        } catch (IllegalArgumentException e) {
            throw new HypervisorException(Errno.EINVAL, "get_mem_access: " + e.getMessage());
        }
    }

    @Override
    public void setDefaultAccess(int domid, P2mAccess access) {
        if (access == null) throw new HypervisorException(Errno.EINVAL, "set_mem_access default for domain " + domid + ": no access given");
        check(Permission.HVM_HVMCTL, domid);
        domain(domid).p2m().setDefaultAccess(access);
    }

    @Override
    public P2mAccess getDefaultAccess(int domid) {
        check(Permission.HVM_HVMCTL, domid);
        return domain(domid).p2m().defaultAccess();
    }

    @Override
    public void setAccessRequired(int domid, boolean required) {
        check(Permission.HVM_HVMCTL, domid);
        domain(domid).setAccessRequired(required);
    }

    @Override
    public boolean accessRequired(int domid) {
        return domain(domid).accessRequired();
    }

    // ---- internals

    /** The domain's state, attached on first use. */
    DomainAccess domain(int domid) {
        if (closed) throw new HypervisorException(Errno.ENODEV, "the mem-access service is stopping");
        for (int attempt = 0; attempt < 3; attempt++) {
            DomainAccess d = domains.get(domid);
            if (d != null && !d.gone()) return d;
            DomainAccess fresh = new DomainAccess(domid, this);
            try {
                fresh.attach(platform);
            } catch (IllegalArgumentException e) {
                throw new HypervisorException(Errno.ESRCH, "no domain " + domid + ": " + e.getMessage());
            } catch (IllegalStateException e) {
                continue; // another thread attached it meanwhile: take theirs
            } catch (UnsupportedOperationException e) {
                throw new HypervisorException(Errno.ENODEV, "domain " + domid + ": " + e.getMessage());
            }
            DomainAccess prev = domains.putIfAbsent(domid, fresh);
            if (prev == null) return fresh;
            fresh.enforcement().close();
        }
        throw new HypervisorException(Errno.EAGAIN, "domain " + domid + ": mem-access could not attach (raced with another attach)");
    }

    void forget(DomainAccess d) {
        domains.remove(d.domid, d);
    }

    void log(DomainAccess d, String line) {
        LOG.info(line);
        try {
            if (!d.gone()) d.enforcement().log(line);
        } catch (RuntimeException e) {
            LOG.warn("mem-access: could not log to domain {}: {}", d.domid, e.toString());
        }
    }

    private void watch() {
        while (!closed) {
            LockSupport.parkNanos(Math.min(answerNs / 4, 20_000_000L));
            if (Thread.interrupted() && closed) return;
            long now = System.nanoTime();
            for (DomainAccess d : domains.values()) {
                Session s = d.session();
                if (s == null) continue;
                AccessEvent e = s.overdue(now, answerNs);
                if (e == null) continue;
                d.end(s, "disconnected: did not answer event " + e.sequence() + " (vcpu " + e.vcpu() + ", gfn " + Long.toHexString(e.gfn()) + ") within "
                        + answerNs / 1_000_000 + " ms; its thread " + s.thread().getName() + " abandoned", true);
            }
        }
    }

    /** For tests and the benchmark: the domain's counters. */
    DomainAccess state(int domid) {
        return domains.get(domid);
    }
}
