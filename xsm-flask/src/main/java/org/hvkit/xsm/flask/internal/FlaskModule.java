package org.hvkit.xsm.flask.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.hvkit.api.xsm.InitialSid;
import org.hvkit.api.xsm.Permission;
import org.hvkit.api.xsm.PolicyException;
import org.hvkit.api.xsm.SecurityModule;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FLASK: type enforcement after Xen's {@code xen/xsm/flask}. Framework properties:
 * {@code hvkit.flask.policy} (a policy file; default the example policy in this bundle) and
 * {@code hvkit.flask.enforcing} ({@code 1}, the default, or {@code 0} for permissive). A policy file
 * that does not load stops this module from starting: the host keeps its current security module.
 */
@Component(service = SecurityModule.class, immediate = true)
public final class FlaskModule implements SecurityModule {
    private static final Logger LOG = LoggerFactory.getLogger(FlaskModule.class);
    static final String EXAMPLE = "xen.te";

    /** A loaded policy with its cache and its initial SIDs, swapped as one. */
    private record State(Policy policy, Avc avc, int[] initial) { }

    private final SidTable sids = new SidTable();
    private final AuditLog audit = new AuditLog(LOG::info);
    private volatile State state;
    private volatile boolean enforcing;

    @Activate
    public FlaskModule(BundleContext bc) throws PolicyException, IOException {
        String file = bc.getProperty("hvkit.flask.policy");
        String mode = bc.getProperty("hvkit.flask.enforcing");
        if (mode != null && !mode.equals("0") && !mode.equals("1")) {
            throw new IllegalArgumentException("hvkit.flask.enforcing=" + mode + ": expected 0 (permissive) or 1 (enforcing)");
        }
        enforcing = !"0".equals(mode);
        try {
            if (file == null || file.isBlank()) loadPolicy("(built-in) " + EXAMPLE, example());
            else loadPolicy(file, Files.readString(Path.of(file)));
        } catch (PolicyException | IOException | RuntimeException e) {
            LOG.error("flask: cannot start: {}", e.getMessage());
            throw e;
        }
    }

    /** For tests and tools: a module with {@code policy} loaded. */
    public FlaskModule(String source, String policy, boolean enforcing) throws PolicyException {
        this.enforcing = enforcing;
        loadPolicy(source, policy);
    }

    /** The example policy shipped in this bundle (after Xen 4.2's xen.te). */
    public static String example() {
        try (InputStream in = FlaskModule.class.getResourceAsStream(EXAMPLE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the example policy is missing from the flask bundle", e);
        }
    }

    @Override
    public String name() {
        return "flask";
    }

    @Override
    public void attach(Consumer<String> console) {
        audit.attach(console);
    }

    @Override
    public int contextToSid(String context) {
        if (context == null || context.isEmpty()) throw new IllegalArgumentException("empty context");
        state.policy().typeOf(context);
        return sids.intern(context);
    }

    @Override
    public String sidToContext(int sid) {
        return sids.context(sid);
    }

    @Override
    public int initialSid(InitialSid which) {
        return state.initial()[which.ordinal()];
    }

    @Override
    public boolean check(int ssid, int tsid, Permission perm, int subjectDomid, int targetDomid) {
        Avc.Entry e = state.avc().lookup(ssid, tsid, perm.securityClass());
        long m = perm.mask();
        if ((e.allowed() & m) != 0) {
            if ((e.auditAllow() & m) != 0) audit(true, ssid, tsid, perm, subjectDomid, targetDomid);
            return true;
        }
        if ((e.auditDeny() & m) != 0) audit(false, ssid, tsid, perm, subjectDomid, targetDomid);
        return !enforcing;
    }

    /** Xen's avc line: {@code avc:  denied  { perm } for domid=S [target=T] scontext=... tcontext=... tclass=...}. */
    private void audit(boolean granted, int ssid, int tsid, Permission perm, int sdom, int tdom) {
        StringBuilder b = new StringBuilder(160).append("avc:  ").append(granted ? "granted" : "denied").append("  { ").append(perm.xenName())
                .append(" } for ");
        if (sdom >= 0) {
            b.append("domid=").append(sdom).append(' ');
            if (tdom >= 0 && tdom != sdom) b.append("target=").append(tdom).append(' ');
        } else if (tdom >= 0) {
            b.append("target=").append(tdom).append(' ');
        }
        b.append("scontext=").append(sids.context(ssid)).append(" tcontext=").append(sids.context(tsid)).append(" tclass=")
                .append(perm.securityClass().xenName());
        audit.log(b.toString());
    }

    @Override
    public boolean enforcing() {
        return enforcing;
    }

    @Override
    public void setEnforcing(boolean enforcing) {
        this.enforcing = enforcing;
    }

    @Override
    public void loadPolicy(String source, String text) throws PolicyException {
        Policy p = PolicyParser.parse(source, text);
        int[] initial = new int[InitialSid.values().length];
        for (InitialSid i : InitialSid.values()) initial[i.ordinal()] = sids.intern(p.initial.get(i));
        state = new State(p, new Avc(p, sids), initial);
    }

    @Override
    public Optional<String> peerContext(String user, Set<String> groups) {
        return state.policy().peerContext(user, groups);
    }

    /** The policy in force: its source name. */
    public String policySource() {
        return state.policy().source;
    }
}
