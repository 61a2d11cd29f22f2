package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hvkit.api.xsm.Caller;
import org.hvkit.api.xsm.Subject;
import org.hvkit.xsm.flask.internal.FlaskModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** xl's FLASK commands, seclabel= and list -Z against the real core with the example policy. */
class XlFlaskTest {
    static final Subject MONITOR = new Subject("system_u:system_r:monitor_t", 0, "user alice");

    @TempDir
    Path dir;

    private String file(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, body);
        return p.toString();
    }

    static XlHarness withFlask() throws Exception {
        XlHarness h = new XlHarness();
        h.sim.core().bindSecurityModule(new FlaskModule("xen.te", FlaskModule.example(), true));
        return h;
    }

    private static XlHarness.Result as(Subject s, XlHarness h, String... args) throws Exception {
        return Caller.call(s, () -> h.run(args));
    }

    @Test
    void getenforceAndSetenforceAsXenPrintsThem() throws Exception {
        try (XlHarness h = withFlask()) {
            assertEquals(new XlHarness.Result(1, "Enforcing\n", ""), h.run("getenforce"), "4.2 returns the mode as the status");
            assertEquals(0, h.run("setenforce", "permissive").status());
            assertEquals(new XlHarness.Result(0, "Permissive\n", ""), h.run("getenforce"));
            assertEquals(0, h.run("setenforce", "1").status());
            assertEquals(2, h.run("setenforce", "maybe").status());
            XlHarness.Result r = as(MONITOR, h, "setenforce", "0");
            assertEquals(255, r.status());
            assertTrue(r.err().endsWith("Permission denied\nerror occured while setting enforcing mode (-1)\n"), r.err());
            assertEquals("Enforcing\n", h.run("getenforce").out());
        }
        try (XlHarness h = new XlHarness()) {
            assertEquals(new XlHarness.Result(255, "Flask XSM Disabled\n", ""), h.run("getenforce"));
            assertEquals(new XlHarness.Result(255, "", "Flask XSM disabled\n"), h.run("setenforce", "1"));
        }
    }

    @Test
    void seclabelAndListZ() throws Exception {
        try (XlHarness h = withFlask()) {
            assertEquals(0, h.run("create", file("web.cfg", "name='web'\nworkload='cpu'\n")).status());
            assertEquals(0, h.run("create", file("vault.cfg", "name='vault'\nworkload='cpu'\nseclabel='system_u:system_r:isolated_domU_t'\n")).status());
            XlHarness.Result r = h.run("list", "-Z");
            String[] l = r.out().split("\n");
            assertEquals(Formats.LIST_HEADER + "   Security Label", l[0]);
            var hv = h.sim.hypervisor();
            assertEquals(Formats.listRow(hv.domain(0).orElseThrow()) + "  system_u:system_r:dom0_t", l[1]);
            assertTrue(l[2].endsWith("  system_u:system_r:domU_t") && l[2].startsWith("web "), l[2]);
            assertTrue(l[3].endsWith("  system_u:system_r:isolated_domU_t") && l[3].startsWith("vault "), l[3]);
            assertTrue(h.run("list", "-v").out().split("\n")[3].endsWith("        -  system_u:system_r:isolated_domU_t"));
            // save and restore keep the label: an isolated domain does not come back as an ordinary domU
            String saved = dir.resolve("vault.save").toString();
            assertEquals(0, h.run("save", "vault", saved).status());
            XlHarness.Result restored = h.run("restore", saved);
            assertEquals(0, restored.status(), restored.err());
            String vault = h.run("list", "-Z").out().lines().filter(x -> x.startsWith("vault ")).findFirst().orElseThrow();
            assertTrue(vault.endsWith("  system_u:system_r:isolated_domU_t"), vault);
            XlHarness.Result bad = h.run("create", file("bad.cfg", "name='bad'\nseclabel='system_u:system_r:nosuch_t'\n"));
            assertEquals(1, bad.status());
            assertTrue(bad.err().endsWith("Invalid seclabel: system_u:system_r:nosuch_t: no type nosuch_t in policy xen.te\n"), bad.err());
        }
        try (XlHarness h = new XlHarness()) {
            XlHarness.Result r = h.run("create", file("web.cfg", "name='web'\nseclabel='system_u:system_r:domU_t'\n"));
            assertEquals(0, r.status(), r.err());
            assertTrue(r.err().contains("XSM Disabled: seclabel not supported\n"), r.err());
            assertTrue(h.run("list", "-Z").out().split("\n")[2].endsWith("  -"));
        }
    }

    @Test
    void theMonitorListsAndReadsButIsRefusedDestroyWithPermissionDenied() throws Exception {
        try (XlHarness h = withFlask()) {
            assertEquals(0, h.run("create", file("web.cfg", "name='web'\nworkload='cpu'\non_poweroff='preserve'\n")).status());
            assertEquals(0, h.run("create", file("vault.cfg", "name='vault'\nseclabel='system_u:system_r:isolated_domU_t'\n")).status());
            XlHarness.Result list = as(MONITOR, h, "list");
            assertEquals(0, list.status(), list.err());
            assertEquals(3, list.out().split("\n").length, "Domain-0 and web, not the isolated vault: " + list.out());
            XlHarness.Result d = as(MONITOR, h, "destroy", "web");
            assertEquals(255, d.status(), "4.2's destroy_domain: exit(-1)");
            assertEquals("libxl: error: libxl.c:1421:libxl__destroy_domid: domain destroy on domain 1 (web) by user alice: Permission denied\ndestroy failed (rc=-3)\n", d.err());
            assertTrue(h.sim.hypervisor().findDomain("web").isPresent());
            assertEquals(2, as(MONITOR, h, "destroy", "vault").status(), "an invisible domain is no domain to the monitor");
            assertEquals(0, as(MONITOR, h, "dmesg").status());
            assertTrue(h.run("dmesg").out().contains("avc:  denied  { destroy } for domid=0 target=1 scontext=system_u:system_r:monitor_t"
                    + " tcontext=system_u:system_r:domU_t tclass=domain\n"));
            assertEquals(1, as(MONITOR, h, "dmesg", "-c").status(), "clearing the ring is not reading it");
            assertEquals(0, h.run("shutdown", "web").status());
            assertEquals(0, as(MONITOR, h, "console", "web").status());
            XlHarness.Result pause = as(MONITOR, h, "pause", "web");
            assertEquals(0, pause.status(), "4.2's pause_domain ignores libxl's result");
            assertTrue(pause.err().contains("Permission denied"), pause.err());
            assertEquals(1, as(MONITOR, h, "cpupool-create", "name=p", "cpus=3").status());
        }
    }

    @Test
    void loadpolicyRefusesABadPolicyWholeWithFileAndLine() throws Exception {
        try (XlHarness h = withFlask()) {
            String bad = file("bad.te", FlaskModule.example().replace("type monitor_t;", "type monitor_t\n"));
            XlHarness.Result r = h.run("loadpolicy", bad);
            assertEquals(255, r.status());
            int line = (int) FlaskModule.example().lines().takeWhile(x -> !x.equals("type monitor_t;")).count() + 3; // the next line, after the blank one the edit added
            assertEquals(bad + ":" + line + ": expected ';', found 'type'\nUnable to load new Flask policy: Invalid argument\n", r.err());
            assertEquals(new XlHarness.Result(0, "Successfully loaded policy.\n", ""), h.run("loadpolicy", file("good.te", FlaskModule.example())));
            XlHarness.Result denied = as(MONITOR, h, "loadpolicy", file("m.te", FlaskModule.example()));
            assertEquals(255, denied.status());
            assertTrue(denied.err().endsWith("Unable to load new Flask policy: Permission denied\n"), denied.err());
            XlHarness.Result missing = h.run("loadpolicy", dir.resolve("none.te").toString());
            assertEquals("Error occurred opening policy file '" + dir.resolve("none.te") + "': No such file or directory\n", missing.err());
        }
    }
}
