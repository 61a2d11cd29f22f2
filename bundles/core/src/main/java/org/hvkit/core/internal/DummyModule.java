package org.hvkit.core.internal;

import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.hvkit.api.xsm.InitialSid;
import org.hvkit.api.xsm.Permission;
import org.hvkit.api.xsm.PolicyException;
import org.hvkit.api.xsm.SecurityModule;

/**
 * Xen's dummy module, what the core does without a security bundle: the toolstack in Domain-0 may
 * do everything, a guest only what it always could (write its console); labels mean nothing.
 */
final class DummyModule implements SecurityModule {
    static final DummyModule INSTANCE = new DummyModule();

    private DummyModule() {
    }

    @Override
    public String name() {
        return "dummy";
    }

    @Override
    public void attach(Consumer<String> console) {
    }

    @Override
    public int contextToSid(String context) {
        return 0;
    }

    @Override
    public String sidToContext(int sid) {
        return null;
    }

    @Override
    public int initialSid(InitialSid which) {
        return 0;
    }

    @Override
    public boolean check(int ssid, int tsid, Permission perm, int subjectDomid, int targetDomid) {
        return subjectDomid == 0 || perm == Permission.XEN_WRITECONSOLE;
    }

    @Override
    public boolean enforcing() {
        return false;
    }

    @Override
    public void setEnforcing(boolean enforcing) {
        throw new UnsupportedOperationException("Flask XSM disabled");
    }

    @Override
    public void loadPolicy(String source, String text) throws PolicyException {
        throw new UnsupportedOperationException("Flask XSM disabled");
    }

    @Override
    public Optional<String> peerContext(String user, Set<String> groups) {
        return Optional.empty();
    }
}
