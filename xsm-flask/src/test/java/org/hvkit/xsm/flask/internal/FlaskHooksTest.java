package org.hvkit.xsm.flask.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.domain.ShutdownReason;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.xsm.PolicyException;
import org.hvkit.api.xsm.Subject;
import org.hvkit.api.xsm.Xsm;
import org.junit.jupiter.api.Test;

/** The example policy enforcing on the real core: each hooked operation allowed and denied as it says. */
class FlaskHooksTest {
    private interface Op {
        void run(Host h, int domU) throws Exception;
    }

    /** Every hooked operation with its permission; the monitor type is allowed only those marked. */
    private static Map<String, Object[]> ops() {
        Map<String, Object[]> m = new LinkedHashMap<>();
        m.put("domain destroy", new Object[] {false, (Op) (h, d) -> h.core.destroyDomain(d)});
        m.put("domain pause", new Object[] {false, (Op) (h, d) -> h.core.pauseDomain(d)});
        m.put("domain unpause", new Object[] {false, (Op) (h, d) -> h.core.unpauseDomain(d)});
        m.put("domain shutdown", new Object[] {false, (Op) (h, d) -> h.core.shutdownDomain(d, ShutdownReason.POWEROFF)});
        m.put("domain setvcpuaffinity", new Object[] {false, (Op) (h, d) -> h.core.pinVcpu(d, 0, CpuMask.parse("1", 4))});
        m.put("domain scheduler", new Object[] {false, (Op) (h, d) -> h.core.setDomainSchedParams(d, Map.of("weight", 512L))});
        m.put("domain create", new Object[] {false, (Op) (h, d) -> h.core.createDomain(Host.guest("extra", null))});
        m.put("xen cpupool_op", new Object[] {false, (Op) (h, d) -> h.core.pools()});
        m.put("xen sched_op", new Object[] {false, (Op) (h, d) -> h.core.poolSchedParams(0)});
        m.put("xen clearconsole", new Object[] {false, (Op) (h, d) -> h.core.readConsole(true)});
        m.put("xen debug", new Object[] {false, (Op) (h, d) -> h.core.dumpSchedulers()});
        m.put("security setenforce", new Object[] {false, (Op) (h, d) -> h.core.setEnforcing(true)});
        m.put("security load_policy", new Object[] {false, (Op) (h, d) -> h.core.loadPolicy("x.te", FlaskModule.example())});
        m.put("domain getvcpuinfo", new Object[] {true, (Op) (h, d) -> h.core.vcpus(d)});
        m.put("xen physinfo", new Object[] {true, (Op) (h, d) -> h.core.physInfo()});
        m.put("xen readconsole", new Object[] {true, (Op) (h, d) -> h.core.readConsole(false)});
        m.put("mmu map_read", new Object[] {true, (Op) (h, d) -> h.core.guestConsole(d, 0)});
        return m;
    }

    @Test
    void theMonitorMayReadButChangeNothing() throws Exception {
        try (Host h = Host.withExample(true)) {
            int web = h.core.createDomain(Host.guest("web", null)).id();
            h.run(50);
            for (var e : ops().entrySet()) {
                boolean allowed = (Boolean) e.getValue()[0];
                Op op = (Op) e.getValue()[1];
                List<DomainInfo> before = h.core.listDomains();
                int avcBefore = h.avcLines().size();
                try {
                    Host.as(Host.MONITOR, () -> {
                        op.run(h, web);
                        return null;
                    });
                    if (!allowed) fail(e.getKey() + " was allowed to the monitor");
                } catch (HypervisorException x) {
                    if (allowed) fail(e.getKey() + " was denied to the monitor: " + x.getMessage());
                    assertEquals(HypervisorException.Errno.EACCES, x.errno(), e.getKey());
                    assertTrue(x.getMessage().startsWith(e.getKey() + " on ") && x.getMessage().endsWith("by user alice: Permission denied"), x.getMessage());
                    List<String> avc = h.avcLines();
                    assertEquals(avcBefore + 1, avc.size(), e.getKey() + ": one avc line");
                    String[] cp = e.getKey().split(" ");
                    String line = avc.get(avc.size() - 1);
                    assertTrue(line.contains("avc:  denied  { " + cp[1] + " } for domid=0 ") && line.contains("scontext=system_u:system_r:monitor_t ")
                            && line.endsWith(" tclass=" + cp[0]), line);
                    // nothing changed
                    assertEquals(before.stream().map(DomainInfo::name).toList(), h.core.listDomains().stream().map(DomainInfo::name).toList(), e.getKey());
                }
            }
            assertFalse(h.core.domain(web).orElseThrow().paused());
            assertEquals(256L, h.core.domainSchedParams(web).get("weight"));
            // the denial of destroy in Xen's own form
            assertTrue(h.avcLines().contains("avc:  denied  { destroy } for domid=0 target=" + web
                    + " scontext=system_u:system_r:monitor_t tcontext=system_u:system_r:domU_t tclass=domain"), h.avcLines().toString());
        }
    }

    @Test
    void domain0MayDoEverythingTheMonitorMayNot() throws Exception {
        try (Host h = Host.withExample(true)) {
            int web = h.core.createDomain(Host.guest("web", null)).id();
            h.run(20);
            for (var e : ops().entrySet()) {
                if (e.getKey().equals("domain destroy") || e.getKey().equals("domain shutdown")) continue; // done last
                ((Op) e.getValue()[1]).run(h, web);
            }
            h.core.shutdownDomain(web, ShutdownReason.POWEROFF);
            h.core.destroyDomain(h.core.findDomain("extra").orElseThrow().id());
            assertTrue(h.avcLines().stream().noneMatch(l -> l.contains("denied")), h.avcLines().toString());
            // auditallow: the mode and policy changes are logged as granted
            assertTrue(h.avcLines().stream().anyMatch(l -> l.startsWith("avc:  granted  { setenforce } for domid=0 scontext=system_u:system_r:dom0_t")),
                    h.avcLines().toString());
        }
    }

    @Test
    void isolatedGuestsAreHiddenFromTheMonitorWithoutAvcNoise() throws Exception {
        try (Host h = Host.withExample(true)) {
            h.core.createDomain(Host.guest("web", null));
            DomainInfo iso = h.core.createDomain(Host.guest("vault", "system_u:system_r:isolated_domU_t"));
            assertEquals("system_u:system_r:isolated_domU_t", h.core.domainContext(iso.id()).orElseThrow());
            assertEquals("system_u:system_r:domU_t", h.core.domainContext(1).orElseThrow());
            assertEquals("system_u:system_r:dom0_t", h.core.domainContext(0).orElseThrow());
            List<String> seen = Host.as(Host.MONITOR, () -> h.core.listDomains().stream().map(DomainInfo::name).toList());
            assertEquals(List.of("Domain-0", "web"), seen);
            assertTrue(Host.as(Host.MONITOR, () -> h.core.findDomain("vault")).isEmpty());
            assertTrue(h.avcLines().isEmpty(), "dontaudit keeps the list quiet: " + h.avcLines());
            assertEquals(List.of("Domain-0", "web", "vault"), h.core.listDomains().stream().map(DomainInfo::name).toList());
            HypervisorException e = assertThrows(HypervisorException.class, () -> Host.as(Host.MONITOR, () -> h.core.guestConsole(iso.id(), 0)));
            assertEquals(HypervisorException.Errno.EACCES, e.errno());
        }
    }

    @Test
    void aBadSeclabelIsRefusedAndAnUnmappedLabelCannotCreate() throws Exception {
        try (Host h = Host.withExample(true)) {
            HypervisorException e = assertThrows(HypervisorException.class, () -> h.core.createDomain(Host.guest("x", "system_u:system_r:nosuch_t")));
            assertEquals(HypervisorException.Errno.EINVAL, e.errno());
            assertEquals("Invalid seclabel: system_u:system_r:nosuch_t: no type nosuch_t in policy xen.te", e.getMessage());
            // monitor_t is a valid label but dom0 may not create a domain of it (neverallow keeps it so)
            e = assertThrows(HypervisorException.class, () -> h.core.createDomain(Host.guest("y", "system_u:system_r:monitor_t")));
            assertEquals(HypervisorException.Errno.EACCES, e.errno());
            assertEquals(List.of("Domain-0"), h.core.listDomains().stream().map(DomainInfo::name).toList());
        }
    }

    @Test
    void permissiveModeAllowsAndLogs() throws Exception {
        try (Host h = Host.withExample(true)) {
            int web = h.core.createDomain(Host.guest("web", null)).id();
            h.core.setEnforcing(false);
            assertEquals(Xsm.Mode.PERMISSIVE, h.core.mode());
            Host.as(Host.MONITOR, () -> {
                h.core.pauseDomain(web);
                return null;
            });
            assertTrue(h.core.domain(web).orElseThrow().paused());
            assertTrue(h.avcLines().stream().anyMatch(l -> l.startsWith("avc:  denied  { pause } for domid=0 target=" + web + " scontext=system_u:system_r:monitor_t")));
            h.core.setEnforcing(true);
            assertThrows(HypervisorException.class, () -> Host.as(Host.MONITOR, () -> {
                h.core.unpauseDomain(web);
                return null;
            }));
            assertTrue(h.core.domain(web).orElseThrow().paused());
        }
    }

    @Test
    void aGuestsOwnHypercallIsCheckedWithTheGuestAsSubject() throws Exception {
        String noConsole = FlaskModule.example().replace("allow guest_type xen_t:xen writeconsole;", "allow domU_t xen_t:xen writeconsole;");
        try (Host h = new Host(new FlaskModule("nc.te", noConsole, true))) {
            int web = h.core.createDomain(Host.guest("web", null)).id();
            int vault = h.core.createDomain(Host.guest("vault", "system_u:system_r:isolated_domU_t")).id();
            byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
            h.platform.call(() -> {
                h.platform.events.get(web).console(hello, 0, hello.length);
                h.platform.events.get(vault).console(hello, 0, hello.length);
                return null;
            });
            assertTrue(h.core.readConsole(false).contains("(XEN) d" + web + " hello"), h.core.readConsole(false).toString());
            assertFalse(h.core.readConsole(false).contains("(XEN) d" + vault + " hello"));
            assertEquals(0, h.core.guestConsole(vault, 0).data().length);
            assertTrue(h.avcLines().contains("avc:  denied  { writeconsole } for domid=" + vault
                    + " scontext=system_u:system_r:isolated_domU_t tcontext=system_u:system_r:xen_t tclass=xen"), h.avcLines().toString());
        }
    }

    @Test
    void aBadPolicyIsRefusedWholeAndTheOldOneStays() throws Exception {
        try (Host h = Host.withExample(true)) {
            int web = h.core.createDomain(Host.guest("web", null)).id();
            String bad = FlaskModule.example().replace("allow monitor_t xen_t:xen { physinfo readconsole getcpuinfo };",
                    "allow monitor_t { dom0_t domU_t }:domain destroy;\nallow monitor_t xen_t:xen { physinfo readconsole teleport };");
            PolicyException e = assertThrows(PolicyException.class, () -> h.core.loadPolicy("bad.te", bad));
            int line = (int) bad.lines().takeWhile(l -> !l.contains("teleport")).count() + 1;
            assertEquals("bad.te:" + line + ": class xen has no permission teleport", e.getMessage());
            assertThrows(HypervisorException.class, () -> Host.as(Host.MONITOR, () -> {
                h.core.destroyDomain(web);
                return null;
            }));
            assertEquals("xen.te", h.flask.policySource());
        }
    }

    @Test
    void setenforceAndLoadpolicyUnderLoadKeepDomainsRunning() throws Exception {
        try (Host h = Host.withExample(true)) {
            int a = h.core.createDomain(Host.guest("a", null)).id();
            int b = h.core.createDomain(Host.guest("b", "system_u:system_r:isolated_domU_t")).id();
            h.run(100);
            String grant = FlaskModule.example().replace("allow monitor_t xen_t:xen { physinfo readconsole getcpuinfo };",
                    "allow monitor_t xen_t:xen { physinfo readconsole getcpuinfo };\nallow monitor_t domU_t:domain pause;")
                    .replace("neverallow monitor_t *:domain { create destroy pause", "neverallow monitor_t *:domain { create destroy");
            long ta = h.core.domain(a).orElseThrow().cpuTimeNs(), tb = h.core.domain(b).orElseThrow().cpuTimeNs();
            for (int i = 0; i < 20; i++) {
                h.core.setEnforcing(i % 2 == 0);
                h.core.loadPolicy(i % 2 == 0 ? "grant.te" : "xen.te", i % 2 == 0 ? grant : FlaskModule.example());
                h.run(10);
            }
            assertTrue(h.core.domain(a).orElseThrow().cpuTimeNs() > ta + 150_000_000L, "a ran on");
            assertTrue(h.core.domain(b).orElseThrow().cpuTimeNs() > tb + 150_000_000L, "b ran on");
            // the last load was xen.te, enforcing off; now enforce and load the granting one: the monitor may pause a
            h.core.setEnforcing(true);
            h.core.loadPolicy("grant.te", grant);
            Host.as(Host.MONITOR, () -> {
                h.core.pauseDomain(a);
                return null;
            });
            assertTrue(h.core.domain(a).orElseThrow().paused());
            assertThrows(HypervisorException.class, () -> Host.as(Host.MONITOR, () -> {
                h.core.pauseDomain(b); // invisible and untouchable still
                return null;
            }));
            assertEquals("system_u:system_r:isolated_domU_t", h.core.domainContext(b).orElseThrow(), "labels survive a policy load");
        }
    }

    @Test
    void decisionsFailClosedWhileTheModuleIsReplaced() throws Exception {
        try (Host h = Host.withExample(true)) {
            int web = h.core.createDomain(Host.guest("web", null)).id();
            h.core.unbindSecurityModule(h.flask);
            assertEquals(Xsm.Mode.CLOSED, h.core.mode());
            // even Domain-0 is refused, and the old dummy's dom0-may-do-all does not come back
            HypervisorException e = assertThrows(HypervisorException.class, () -> h.core.pauseDomain(web));
            assertEquals(HypervisorException.Errno.EACCES, e.errno());
            assertTrue(h.core.admit("alice", Set.of("hvops")).isEmpty(), "no peer admitted while closed");
            h.run(50); // the machine itself runs on
            FlaskModule next = new FlaskModule("xen.te", FlaskModule.example(), true);
            h.core.bindSecurityModule(next);
            assertEquals(Xsm.Mode.ENFORCING, h.core.mode());
            h.core.pauseDomain(web);
            assertTrue(h.core.domain(web).orElseThrow().paused());
            assertTrue(h.avcLines().contains("avc:  denied  { pause } for domid=0 target=" + web
                    + " tclass=domain (no security module: flask is being replaced)"), h.avcLines().toString());
            assertEquals(new Subject("system_u:system_r:monitor_t", 0, "user alice"), h.core.admit("alice", Set.of("hvops")).orElseThrow());
        }
    }

    @Test
    void withoutASecurityModuleDomain0IsPrivilegedAsToday() throws Exception {
        try (Host h = new Host(null)) {
            assertEquals(Xsm.Mode.DISABLED, h.core.mode());
            int web = h.core.createDomain(Host.guest("web", "system_u:system_r:anything_t")).id();
            h.core.pauseDomain(web);
            h.core.destroyDomain(web);
            assertTrue(h.core.domainContext(0).isEmpty());
            assertTrue(h.core.admit("root", Set.of()).isEmpty());
            HypervisorException e = assertThrows(HypervisorException.class, () -> h.core.setEnforcing(true));
            assertEquals("Flask XSM disabled", e.getMessage());
        }
    }
}
