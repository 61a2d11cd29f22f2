package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hvkit.xsm.flask.internal.FlaskModule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real users on the real control socket: the test (as root) creates an operator user in the
 * policy's operator group, a user who may reach the socket but has no label, and one outside the
 * socket's group, then runs the standalone xl client as each (setpriv) against a live host with FLASK.
 */
class XlSocketUsersTest {
    private static final String SOCK_GROUP = "hvt18sock", OPS_GROUP = "hvt18ops";
    private static final String OPERATOR = "hvt18op", STRANGER = "hvt18str", OUTSIDER = "hvt18out";
    private static boolean made;

    private static int sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @BeforeAll
    static void users() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: creating users and switching to them needs root (running as "
                + System.getProperty("user.name") + ")");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isExecutable(Path.of("/usr/sbin/useradd")),
                "skipped: setpriv or useradd missing");
        cleanup();
        made = true;
        for (String g : List.of(SOCK_GROUP, OPS_GROUP)) assertEquals(0, sh("groupadd", g), "groupadd " + g);
        assertEquals(0, sh("useradd", "-M", "-N", "-s", "/usr/sbin/nologin", "-G", SOCK_GROUP + "," + OPS_GROUP, OPERATOR));
        assertEquals(0, sh("useradd", "-M", "-N", "-s", "/usr/sbin/nologin", "-G", SOCK_GROUP, STRANGER));
        assertEquals(0, sh("useradd", "-M", "-N", "-s", "/usr/sbin/nologin", OUTSIDER));
    }

    @AfterAll
    static void cleanup() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) return;
        for (String u : List.of(OPERATOR, STRANGER, OUTSIDER)) sh("userdel", u);
        for (String g : List.of(SOCK_GROUP, OPS_GROUP)) sh("groupdel", g);
    }

    record Run(int status, String out, String err) { }

    /** The standalone client as {@code user}, with every group its login would have. */
    private static Run xlAs(String user, Path socket, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path classes = Path.of(XlClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=users", "--init-groups", "--reset-env", java,
                "-cp", classes.toString(), XlClient.class.getName(), "--socket", socket.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(new java.io.File("/")).start();
        p.getOutputStream().close();
        var out = p.getInputStream();
        var err = p.getErrorStream();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "client as " + user + " hung");
        return new Run(p.exitValue(), new String(out.readAllBytes(), StandardCharsets.UTF_8), new String(err.readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void operatorsListAndReadConsolesButCannotDestroyUnmappedUsersAreRefused() throws Exception {
        assumeTrue(made, "skipped: no test users");
        Path base = Files.createTempDirectory("hvkit-xsm-sock", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path socket = base.resolve("run").resolve("xl.sock");
        String policy = FlaskModule.example().replace("peercon group hvops", "peercon group " + OPS_GROUP);
        try (XlHarness h = new XlHarness()) {
            h.sim.core().bindSecurityModule(new FlaskModule("users.te", policy, true));
            Path cfg = base.resolve("web.cfg");
            Files.writeString(cfg, "name='web'\nworkload='cpu'\non_poweroff='preserve'\n");
            assertEquals(0, h.run("create", cfg.toString()).status());
            try (XlSocketServer server = XlSocketServer.start(socket, h.xl::run, null, h.sim.core()::admit, SOCK_GROUP)) {
                assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
                assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

                Run list = xlAs(OPERATOR, socket, "list");
                assertEquals(0, list.status(), list.err());
                assertTrue(list.out().startsWith(Formats.LIST_HEADER + "\nDomain-0 ") && list.out().contains("\nweb "), list.out());

                Run destroy = xlAs(OPERATOR, socket, "destroy", "web");
                assertEquals(255, destroy.status(), destroy.out());
                assertEquals("libxl: error: libxl.c:1421:libxl__destroy_domid: domain destroy on domain 1 (web) by user " + OPERATOR + ": Permission denied\ndestroy failed (rc=-3)\n", destroy.err());
                assertTrue(h.sim.hypervisor().findDomain("web").isPresent(), "nothing changed");
                assertTrue(h.run("dmesg").out().contains("avc:  denied  { destroy } for domid=0 target=1 scontext=system_u:system_r:monitor_t"));

                assertEquals(0, h.run("shutdown", "web").status()); // preserved: its console ends, so xl console returns
                Run console = xlAs(OPERATOR, socket, "console", "web");
                assertEquals(0, console.status(), console.err());

                Run stranger = xlAs(STRANGER, socket, "list");
                assertEquals(1, stranger.status());
                assertEquals("", stranger.out());
                assertTrue(stranger.err().contains("permission denied: user " + STRANGER + " may not use the hvkit of user root (the security policy gives it no label)"),
                        stranger.err());

                Run outsider = xlAs(OUTSIDER, socket, "list");
                assertEquals(1, outsider.status());
                assertEquals("", outsider.out());
                assertTrue(outsider.err().contains("Permission denied"), "the socket's directory keeps it out: " + outsider.err());

                // the operator may not make the daemon read a file it could not read itself
                Path secret = base.resolve("secret.cfg");
                Files.writeString(secret, "name='s'\n");
                Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
                Run create = xlAs(OPERATOR, socket, "create", secret.toString());
                assertEquals(3, create.status(), "create_domain's ERROR_FAIL");
                assertTrue(create.err().contains("Permission denied (read for user " + OPERATOR), create.err());
            }
        } finally {
            try (var s = Files.walk(base)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
