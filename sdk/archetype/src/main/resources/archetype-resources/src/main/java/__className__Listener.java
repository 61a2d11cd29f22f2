package ${package};

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
 * The ${pluginName} memory-access listener: attaches to every domain (but Domain-0) through the
 * {@link MemAccess} service, makes its pages read-execute, and reports in {@code xl dmesg} the
 * first write to each page, which it then opens (rwx): one event per page written, as Xen's
 * {@code xen-access write}. Replace {@link Watch#onEvent} with your policy.
 *
 * <p>Configuration (ConfigAdmin pid {@code ${package}.${className}Listener}): {@code domains} —
 * names or ids to watch, comma-separated; default every domain but Domain-0.
 */
@Component(immediate = true, configurationPid = "${package}.${className}Listener")
public final class ${className}Listener {
    private final MemAccess ma;
    private final Hypervisor hv;
    private final Set<String> only;
    private final Map<Integer, Watch> watched = new ConcurrentHashMap<>();
    /** Domains another listener has (EBUSY): said once, tried again quietly. */
    private final Set<Integer> refused = ConcurrentHashMap.newKeySet();
    private final Thread poller;
    private volatile boolean stopped;

    /** One watched domain. onEvent runs on the session's own thread, never in machine context. */
    private final class Watch implements MemAccessListener {
        final int domid;
        final String name;
        final Set<Long> written = ConcurrentHashMap.newKeySet();
        volatile MemAccessSession session;
        volatile boolean over;

        Watch(int domid, String name) {
            this.domid = domid;
            this.name = name;
        }

        @Override
        public AccessResponse onEvent(AccessEvent e) {
            // answer quickly: a listener that takes over the bound (1 s) is disconnected
            if (e.write() && written.add(e.gfn()))
                hv.printk("${pluginName}: d" + domid + " (" + name + ") first write to gfn " + Long.toHexString(e.gfn()) + " (vcpu " + e.vcpu() + ")");
            return AccessResponse.resume(P2mAccess.RWX);
        }

        @Override
        public void disconnected(String reason) {
            over = true; // closed, domain gone, or this listener was cut off (the reason is in xl dmesg)
        }
    }

    @Activate
    public ${className}Listener(@Reference MemAccess ma, @Reference Hypervisor hv, Map<String, Object> config) {
        this.ma = ma;
        this.hv = hv;
        Object d = config.get("domains");
        this.only = d == null || d.toString().isBlank() ? null : Set.of(d.toString().strip().split("\\s*,\\s*"));
        this.poller = Thread.ofPlatform().daemon().name("${pluginName}").start(this::poll);
    }

    /** Domains come and go: every 200 ms new ones are watched and gone ones forgotten. */
    private void poll() {
        while (!stopped) {
            try {
                scan();
            } catch (RuntimeException e) {
                System.getLogger(${className}Listener.class.getName()).log(System.Logger.Level.WARNING, "${pluginName}: scan failed", e);
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
        if (watched.putIfAbsent(d.id(), w) != null) return; // the poller and a test's scan() raced: one watches
        try {
            w.session = ma.enable(d.id(), w);
            ma.setDefaultAccess(d.id(), P2mAccess.RX);
            ma.setAccess(d.id(), 0, hv.p2m(d.id()).maxPages(), P2mAccess.RX);
            refused.remove(d.id());
            hv.printk("${pluginName}: watching d" + d.id() + " (" + d.name() + ")");
        } catch (HypervisorException e) {
            watched.remove(d.id(), w);
            if (refused.add(d.id())) hv.printk("${pluginName}: cannot watch d" + d.id() + " (" + d.name() + "): " + e.getMessage());
        }
    }

    /** The pages domain {@code domid} wrote so far (for tests). */
    Set<Long> written(int domid) {
        Watch w = watched.get(domid);
        return w == null ? Set.of() : Set.copyOf(w.written);
    }

    /** Gives every page back its full access and lets go of the domains (the bundle stops or is updated). */
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
