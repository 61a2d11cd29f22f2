package org.hvkit.guard.internal;

import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.hooks.weaving.WeavingException;
import org.osgi.framework.hooks.weaving.WeavingHook;
import org.osgi.framework.hooks.weaving.WovenClass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weaving hook: every class a bundle loads, except the system bundle's, the guard's own and
 * those of the exempt bundles, goes through {@link ExitWeaver} before it is defined.
 *
 * <p>A class that cannot be checked is not loaded (a {@link WeavingException}, which the framework
 * turns into a {@code ClassFormatError} for that class alone): failing open would let it through.
 * Any other exception would make the framework blacklist the hook for good.
 */
final class GuardHook implements WeavingHook {
    private static final Logger LOG = LoggerFactory.getLogger(GuardHook.class);

    private final long self;
    private final Set<Long> exempt;

    /**
     * @param self the guard's own bundle id
     * @param exempt ids of the bundles allowed to end the JVM (the launcher's own)
     */
    GuardHook(long self, Set<Long> exempt) {
        this.self = self;
        this.exempt = Set.copyOf(exempt);
    }

    @Override
    public void weave(WovenClass wc) {
        Bundle b = wc.getBundleWiring().getBundle();
        long id = b.getBundleId();
        if (id == 0 || id == self || exempt.contains(id)) return;
        String where = " in " + wc.getClassName() + " (bundle " + b.getSymbolicName() + " " + b.getVersion() + ", id " + id + "): a plugin may not end the JVM";
        ExitWeaver.Result r;
        try {
            r = ExitWeaver.weave(wc.getBytes(), where, wc.getBundleWiring().getClassLoader());
        } catch (RuntimeException | LinkageError e) {
            String msg = "hvkit guard: class " + wc.getClassName() + " of bundle " + b.getSymbolicName() + " (id " + id
                    + ") could not be checked for calls that end the JVM, so it is not loaded: " + e;
            LOG.error(msg, e);
            throw new WeavingException(msg, e);
        }
        if (r == null) return;
        wc.setBytes(r.bytes());
        // a direct call that ends the JVM is worth an operator's attention; routing reflection through the check is routine
        if (r.routes().stream().anyMatch(x -> x.kind == Route.Kind.REFUSE)) {
            LOG.warn("hvkit guard: {} in {} of bundle {} (id {}): {} call site(s) rewritten; calls that end the JVM will be refused",
                    r.routes(), wc.getClassName(), b.getSymbolicName(), id, r.sites());
        } else {
            LOG.debug("hvkit guard: {} in {} of bundle {} (id {}): {} call site(s) go through the exit check",
                    r.routes(), wc.getClassName(), b.getSymbolicName(), id, r.sites());
        }
    }
}
