package org.hvkit.example.detector;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.memaccess.AccessEvent;
import org.hvkit.api.memaccess.AccessResponse;
import org.hvkit.api.memaccess.MemAccess;
import org.hvkit.api.memaccess.MemAccessListener;
import org.hvkit.api.memaccess.MemAccessSession;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * A code-injection detector from outside the guest, as security tools use Xen's memory access
 * API: every page of a watched domain starts r-x, so the domain's first write of a page is an event
 * — the page is noted and made rw, no longer executable — and an instruction fetch from a page the
 * domain wrote is an event too: code that the guest itself put there (a stager copying a payload and
 * jumping to it). That is reported in {@code xl dmesg} and, when configured, the domain is paused.
 * Pages the guest only reads or only executes never cause an event after the first.
 *
 * <p>Configuration (ConfigAdmin pid {@code org.hvkit.example.detector}, or framework properties of
 * the same names): {@code domains} — names or ids to watch, comma-separated, default every domain
 * but Domain-0; {@code pause} — pause a domain when it is flagged (default false).
 */
@Component(immediate = true, configurationPid = "org.hvkit.example.detector")
public final class InjectionDetector {
    private final MemAccess ma;
    private final Hypervisor hv;
    private final Set<String> only;
    private final boolean pause;
    private final Map<Integer, Watch> watched = new ConcurrentHashMap<>();
    /** Domains that could not be watched (another listener has them), said once, tried again quietly. */
    private final Set<Integer> refused = ConcurrentHashMap.newKeySet();
    private final Thread poller;
    private volatile boolean stopped;

    /** One watched domain: the pages it wrote, and whether it was flagged already. */
    private final class Watch implements MemAccessListener {
        final int domid;
        final String name;
        final Set<Long> written = ConcurrentHashMap.newKeySet();
        volatile boolean flagged;
        volatile MemAccessSession session;
        volatile boolean over;

        Watch(int domid, String name) {
            this.domid = domid;
            this.name = name;
        }

        @Override
        public AccessResponse onEvent(AccessEvent e) {
            if (e.write()) {
                written.add(e.gfn());
                return AccessResponse.resume(P2mAccess.RW); // written: executing it from now on is an event
            }
            if (e.exec() && written.contains(e.gfn())) {
                if (!flagged) {
                    flagged = true;
                    hv.printk("injection-detector: d" + domid + " (" + name + ") executes gfn " + Long.toHexString(e.gfn()) + " (offset " + Long.toHexString(e.offset())
                            + ", vcpu " + e.vcpu() + ") which it wrote: code injection" + (pause ? "; domain paused" : ""));
                    if (pause) {
                        try {
                            hv.pauseDomain(domid);
                        } catch (HypervisorException x) {
                            hv.printk("injection-detector: could not pause d" + domid + ": " + x.getMessage());
                        }
                    }
                }
                return AccessResponse.resume(P2mAccess.RWX);
            }
            return AccessResponse.resume(P2mAccess.RWX);
        }

        @Override
        public void disconnected(String reason) {
            over = true;
        }
    }

    @Activate
    public InjectionDetector(@Reference MemAccess ma, @Reference Hypervisor hv, Map<String, Object> config) {
        this.ma = ma;
        this.hv = hv;
        Object d = config.get("domains");
        this.only = d == null || d.toString().isBlank() ? null : Set.of(d.toString().strip().split("\\s*,\\s*"));
        this.pause = Boolean.parseBoolean(String.valueOf(config.getOrDefault("pause", "false")));
        this.poller = Thread.ofPlatform().daemon().name("injection-detector").start(this::poll);
    }

    /** Domains come and go: every 200 ms new ones are watched and gone ones forgotten. */
    private void poll() {
        while (!stopped) {
            try {
                scan();
            } catch (RuntimeException e) {
                System.getLogger(InjectionDetector.class.getName()).log(System.Logger.Level.WARNING, "injection-detector: scan failed", e);
            }
            LockSupport.parkNanos(200_000_000L);
        }
    }

    void scan() {
        for (DomainInfo d : hv.listDomains()) {
            if (d.id() == 0 || watched.containsKey(d.id())) continue;
            if (only != null && !only.contains(d.name()) && !only.contains(String.valueOf(d.id()))) continue;
            watch(d);
        }
        watched.values().removeIf(w -> w.over && hv.domain(w.domid).isEmpty());
    }

    private void watch(DomainInfo d) {
        Watch w = new Watch(d.id(), d.name());
        // the poller and a caller of scan() may both come here for a new domain: one of them watches it
        if (watched.putIfAbsent(d.id(), w) != null) return;
        try {
            w.session = ma.enable(d.id(), w);
            long pages = hv.p2m(d.id()).maxPages();
            ma.setDefaultAccess(d.id(), P2mAccess.RX);
            ma.setAccess(d.id(), 0, pages, P2mAccess.RX);
            refused.remove(d.id());
            hv.printk("injection-detector: watching d" + d.id() + " (" + d.name() + ")");
        } catch (HypervisorException e) {
            // e.g. another listener (xen-access) has it: EBUSY; tried again once it is gone
            watched.remove(d.id(), w);
            if (refused.add(d.id())) hv.printk("injection-detector: cannot watch d" + d.id() + " (" + d.name() + "): " + e.getMessage());
        }
    }

    /** Whether domain {@code domid} was flagged (for tests). */
    boolean flagged(int domid) {
        Watch w = watched.get(domid);
        return w != null && w.flagged;
    }

    @Deactivate
    public void stop() {
        stopped = true;
        poller.interrupt();
        for (Watch w : watched.values()) {
            try {
                ma.setDefaultAccess(w.domid, P2mAccess.RWX);
                ma.setAccess(w.domid, 0, hv.p2m(w.domid).maxPages(), P2mAccess.RWX);
            } catch (HypervisorException e) {
                // the domain is gone
            }
            MemAccessSession s = w.session;
            if (s != null) s.close();
        }
        watched.clear();
    }
}
