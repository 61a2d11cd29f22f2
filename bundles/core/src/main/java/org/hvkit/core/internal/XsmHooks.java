package org.hvkit.core.internal;

import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.toolstack.HypervisorException.Errno;
import org.hvkit.api.xsm.Caller;
import org.hvkit.api.xsm.InitialSid;
import org.hvkit.api.xsm.Permission;
import org.hvkit.api.xsm.SecurityModule;
import org.hvkit.api.xsm.Subject;
import org.hvkit.api.xsm.Xsm;

/**
 * The core's XSM hooks: one call per privileged operation asks the bound security module (the
 * {@link DummyModule} without one) whether {@link Caller#current()} may do it to its target. Once
 * a real module was bound, its going away (a bundle update, an uninstall) does not fall back to the
 * dummy's dom0-may-do-all: every check is denied until a module is bound again (fail closed).
 * Checks run in machine context; binding happens on DS threads, hence the volatile fields.
 */
final class XsmHooks {
    private final Supplier<Machine> machine;
    private volatile SecurityModule module = DummyModule.INSTANCE;
    /** The name of the module that went away while none replaced it, else null. */
    private volatile String closedFor;

    XsmHooks(Supplier<Machine> machine) {
        this.machine = machine;
    }

    private void printk(String line) {
        Machine m = machine.get();
        if (m != null) m.printk(line);
    }

    void bind(SecurityModule sm) {
        Consumer<String> console = this::printk;
        sm.attach(console);
        module = sm;
        closedFor = null;
        printk("xsm: security module " + sm.name() + " bound, " + (sm.enforcing() ? "enforcing" : "permissive"));
    }

    void unbind(SecurityModule sm) {
        if (module != sm) return;
        closedFor = sm.name();
        module = DummyModule.INSTANCE;
        printk("xsm: security module " + sm.name() + " gone: every operation is denied until a security module is bound again");
    }

    Xsm.Mode mode() {
        if (closedFor != null) return Xsm.Mode.CLOSED;
        SecurityModule sm = module;
        if (sm == DummyModule.INSTANCE) return Xsm.Mode.DISABLED;
        return sm.enforcing() ? Xsm.Mode.ENFORCING : Xsm.Mode.PERMISSIVE;
    }

    String moduleName() {
        return module.name();
    }

    // ------------------------------------------------------------------ the hooks (machine context)

    /** {@code perm} on domain {@code domid}; a domain that does not exist is left to the operation's own error. */
    void domain(Permission perm, int domid) {
        Domain d = machine.get().domains.get(domid);
        if (d != null) domain(perm, d);
    }

    void domain(Permission perm, Domain d) {
        Subject s = Caller.current();
        SecurityModule sm = module;
        if (!decide(sm, s, sidOf(d, sm), perm, d.id)) throw denied(sm, s, perm, "domain " + d.id + " (" + d.name + ")");
    }

    /** {@code perm} on domain {@code d}, answered rather than thrown: what listing uses to leave a domain out. */
    boolean allowed(Permission perm, Domain d) {
        SecurityModule sm = module;
        return decide(sm, Caller.current(), sidOf(d, sm), perm, d.id);
    }

    /** {@code perm} on the hypervisor itself ({@code xen_t}). */
    void xen(Permission perm) {
        initial(perm, InitialSid.XEN, "the hypervisor");
    }

    /** {@code perm} on the security server ({@code security_t}). */
    void security(Permission perm) {
        initial(perm, InitialSid.SECURITY, "the security server");
    }

    /** {@code perm} on a device ({@code device_t}: devices carry no labels of their own yet). */
    void device(Permission perm, String device) {
        initial(perm, InitialSid.DEVICE, "device " + device);
    }

    private void initial(Permission perm, InitialSid target, String what) {
        Subject s = Caller.current();
        SecurityModule sm = module;
        if (!decide(sm, s, sm.initialSid(target), perm, -1)) throw denied(sm, s, perm, what);
    }

    /** {@code perm} (create and its companions) on the domain {@code cfg} would make, labelled {@code tsid}. */
    void newDomain(Permission perm, int tsid, DomainConfig cfg) {
        Subject s = Caller.current();
        SecurityModule sm = module;
        if (!decide(sm, s, tsid, perm, -1)) throw denied(sm, s, perm, "new domain " + cfg.name());
    }

    /** A guest's own hypercall: domain {@code d} is the subject, the hypervisor the target. */
    boolean guest(Permission perm, Domain d) {
        SecurityModule sm = module;
        if (closedFor != null) return closedDenial(perm, d.id, -1);
        return sm.check(sidOf(d, sm), sm.initialSid(InitialSid.XEN), perm, d.id, -1);
    }

    /** The SID a new domain would get: its {@code seclabel=} under the current policy, else the default for a domU. */
    int labelFor(DomainConfig cfg) {
        SecurityModule sm = module;
        if (cfg.seclabel() == null) return sm.initialSid(InitialSid.DOMU);
        try {
            return sm.contextToSid(cfg.seclabel());
        } catch (IllegalArgumentException e) {
            throw new HypervisorException(Errno.EINVAL, "Invalid seclabel: " + cfg.seclabel() + ": " + e.getMessage());
        }
    }

    /** Remembers the SID a domain was created with, so that the first check does not compute it again. */
    void labelled(Domain d, int sid) {
        d.label.set(module, sid);
    }

    private boolean decide(SecurityModule sm, Subject s, int tsid, Permission perm, int tdom) {
        if (closedFor != null) return closedDenial(perm, s.domid(), tdom);
        return sm.check(subjectSid(sm, s), tsid, perm, s.domid(), tdom);
    }

    /** Closed-mode lines in the current second, so a guest looping on its console cannot flood the ring meanwhile. */
    private long closedSecond;
    private int closedLines;

    private boolean closedDenial(Permission perm, int sdom, int tdom) {
        long sec = System.nanoTime() / 1_000_000_000L;
        synchronized (this) {
            if (sec != closedSecond) {
                closedSecond = sec;
                closedLines = 0;
            }
            if (++closedLines > 100) return false;
        }
        printk("avc:  denied  { " + perm.xenName() + " } for domid=" + sdom + (tdom >= 0 && tdom != sdom ? " target=" + tdom : "")
                + " tclass=" + perm.securityClass().xenName() + " (no security module: " + closedFor + " is being replaced)");
        return false;
    }

    private int subjectSid(SecurityModule sm, Subject s) {
        if (s.context() == null) {
            Domain d = machine.get().domains.get(s.domid());
            return d != null ? sidOf(d, sm) : sm.initialSid(InitialSid.UNLABELED);
        }
        try {
            return sm.contextToSid(s.context());
        } catch (IllegalArgumentException e) { // a context the new policy no longer has
            return sm.initialSid(InitialSid.UNLABELED);
        }
    }

    /** A domain's SID under {@code sm}, computed once per module. */
    private static int sidOf(Domain d, SecurityModule sm) {
        SidCache c = d.label;
        if (c.owner() != sm) {
            int sid;
            if (c.context == null) sid = sm.initialSid(d.isControlDomain() ? InitialSid.DOM0 : InitialSid.DOMU);
            else {
                try {
                    sid = sm.contextToSid(c.context);
                } catch (IllegalArgumentException e) {
                    sid = sm.initialSid(InitialSid.UNLABELED);
                }
            }
            c.set(sm, sid);
        }
        return c.sid();
    }

    private HypervisorException denied(SecurityModule sm, Subject s, Permission perm, String what) {
        // the dummy answers as Xen's does (-EPERM); a policy's denial is -EACCES
        Errno errno = sm == DummyModule.INSTANCE && closedFor == null ? Errno.EPERM : Errno.EACCES;
        return new HypervisorException(errno, perm.securityClass().xenName() + " " + perm.xenName() + " on " + what + " by " + s.who() + ": "
                + (errno == Errno.EPERM ? "Operation not permitted" : "Permission denied"));
    }

    // ------------------------------------------------------------------ the control service's work

    Optional<String> context(Domain d) {
        SecurityModule sm = module;
        if (sm == DummyModule.INSTANCE) return Optional.empty();
        return Optional.ofNullable(sm.sidToContext(sidOf(d, sm)));
    }

    void setEnforcing(boolean enforcing) {
        SecurityModule sm = requireModule();
        security(Permission.SECURITY_SETENFORCE);
        sm.setEnforcing(enforcing);
        printk("flask: enforcing mode set to " + (enforcing ? "Enforcing" : "Permissive") + " by " + Caller.current().who());
    }

    /** The check before a policy load (machine context); the load itself runs outside it. */
    SecurityModule checkLoad() {
        SecurityModule sm = requireModule();
        security(Permission.SECURITY_LOAD_POLICY);
        return sm;
    }

    void loaded(String source) {
        printk("flask: policy " + source + " loaded by " + Caller.current().who());
    }

    private SecurityModule requireModule() {
        if (closedFor != null) throw new HypervisorException(Errno.EAGAIN, "no security module: " + closedFor + " is being replaced; try again");
        SecurityModule sm = module;
        if (sm == DummyModule.INSTANCE) throw new HypervisorException(Errno.EINVAL, "Flask XSM disabled");
        return sm;
    }

    Optional<Subject> admit(String user, Set<String> groups) {
        SecurityModule sm = module;
        if (closedFor != null || sm == DummyModule.INSTANCE) return Optional.empty();
        return sm.peerContext(user, groups).map(ctx -> new Subject(ctx, 0, "user " + user));
    }
}
