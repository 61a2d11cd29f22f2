package org.hvkit.xsm.flask.internal;

import static org.junit.jupiter.api.Assertions.*;

import org.hvkit.api.memaccess.AccessResponse;
import org.hvkit.api.memaccess.MemAccessSession;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.memaccess.internal.MemAccessService;
import org.junit.jupiter.api.Test;

/** The memory access API under the example policy: enabling a listener is hvm:mem_event, setting and reading access hvm:hvmctl, as 4.2's flask hooks. */
class FlaskMemAccessTest {
    private static void denied(Host h, String perm, java.util.concurrent.Callable<?> op) {
        int before = h.avcLines().size();
        HypervisorException x = assertThrows(HypervisorException.class, () -> Host.as(Host.MONITOR, op));
        assertEquals(HypervisorException.Errno.EACCES, x.errno(), x.getMessage());
        var avc = h.avcLines();
        assertEquals(before + 1, avc.size(), perm + ": one avc line");
        String line = avc.get(avc.size() - 1);
        assertTrue(line.contains("avc:  denied  { " + perm + " } for domid=0 ") && line.contains("scontext=system_u:system_r:monitor_t ") && line.endsWith(" tclass=hvm"), line);
    }

    @Test
    void aMonitorMayNotWatchADomainsMemoryButDomain0May() throws Exception {
        try (Host h = Host.withExample(true); MemAccessService ma = new MemAccessService(h.platform.sim, h.core, 1_000_000_000L)) {
            int web = h.core.createDomain(Host.guest("web", null)).id();
            h.run(20);
            denied(h, "mem_event", () -> ma.enable(web, e -> AccessResponse.resume()));
            denied(h, "hvmctl", () -> {
                ma.setAccess(web, 0, 16, P2mAccess.R);
                return null;
            });
            denied(h, "hvmctl", () -> ma.getAccess(web, 0));
            assertEquals(P2mAccess.RWX, ma.getAccess(web, 0), "the monitor's attempt changed nothing");
            try (MemAccessSession s = ma.enable(web, e -> AccessResponse.resume())) {
                ma.setAccess(web, 0, 16, P2mAccess.R);
                assertEquals(P2mAccess.R, ma.getAccess(web, 0), "Domain-0 may");
                assertTrue(s.active());
            }
        }
    }
}
