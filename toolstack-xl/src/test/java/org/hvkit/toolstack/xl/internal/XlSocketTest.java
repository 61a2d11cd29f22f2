package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone client's protocol over a real Unix-domain socket, server and client in one JVM. */
class XlSocketTest {
    @TempDir
    Path dir;

    private record Out(int status, String out, String err) { }

    private static Out call(Path socket, String cwd, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int s = XlClient.run(socket, cwd, List.of(args), o, e);
        return new Out(s, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void remoteXlPrintsWhatTheShellWouldWithTheSameStatus() throws IOException {
        Files.writeString(dir.resolve("web.cfg"), "name='web'\nmemory=256\nworkload='cpu'\n");
        try (XlHarness h = new XlHarness();
                XlSocketServer s = XlSocketServer.start(dir.resolve("run/xl.sock"), h.xl::run, null)) {
            Out c = call(s.socket(), dir.toString(), "create", "web.cfg");
            assertEquals(new Out(0, "Parsing config from web.cfg\n", ""), c);
            XlHarness.Result local = h.run("list");
            assertEquals(new Out(local.status(), local.out(), local.err()), call(s.socket(), "/", "list"));
            assertEquals(new Out(2, "", "nosuch is an invalid domain identifier (rc=-6)\n"), call(s.socket(), "/", "destroy", "nosuch"));
            assertEquals(new Out(255, "", "Cannot destroy privileged domain 0.\n\n"), call(s.socket(), "/", "destroy", "0"));
            assertEquals(0, call(s.socket(), "/", "destroy", "web").status());
            assertEquals(1, h.sim.hypervisor().listDomains().size());
            Out dry = call(s.socket(), "/", "-N", "vcpu-pin", "0", "all", "1-2");
            assertEquals(new Out(0, "cpumap: 1-2\n", ""), dry);
        }
        assertFalse(Files.exists(dir.resolve("run/xl.sock")), "the socket file goes with the server");
    }

    @Test
    void socketIsOwnerOnlyInAnOwnerOnlyDirectory() throws IOException {
        Path runDir = dir.resolve("hvkit");
        Files.createDirectory(runDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try (XlHarness h = new XlHarness(); XlSocketServer s = XlSocketServer.start(runDir.resolve("xl.sock"), h.xl::run, null)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.socket())));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(runDir)), "an existing directory is tightened");
            assertEquals(System.getProperty("user.name"), Files.getOwner(s.socket()).getName());
        }
    }

    @Test
    void anotherUserIsRefused() throws IOException {
        // The peer's credentials (SO_PEERCRED) are checked against the owner: a server owned by
        // someone else refuses this process, whatever the file permissions (root bypasses those).
        try (XlHarness h = new XlHarness(); XlSocketServer s = XlSocketServer.start(dir.resolve("xl.sock"), h.xl::run, "hvkit-owner")) {
            Out r = call(s.socket(), "/", "list");
            assertEquals(1, r.status());
            assertEquals("", r.out());
            assertEquals("xl: permission denied: user " + System.getProperty("user.name") + " may not use the hvkit of user hvkit-owner\n", r.err());
        }
    }

    @Test
    void noServerIsAClearErrorAndStatus1() {
        Out r = call(dir.resolve("none.sock"), "/", "list");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("xl: cannot reach hvkit at " + dir.resolve("none.sock")), r.err());
    }

    @Test
    void theClientRefusesAServerOfAnotherUserBeforeSendingAnything() throws IOException {
        List<List<String>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (XlHarness h = new XlHarness(); XlSocketServer s = XlSocketServer.start(dir.resolve("xl.sock"), (cwd, a, keys, o, e) -> {
            seen.add(a);
            return 0;
        }, null)) {
            ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
            // the server runs as this user; a client that trusts only "hvkit-admin" must not talk to it
            int status = XlClient.run(s.socket(), "/", List.of("destroy", "web"), o, e, "hvkit-admin"::equals);
            assertEquals(1, status);
            assertEquals("xl: refusing to talk to " + s.socket() + ": its server runs as user " + System.getProperty("user.name") + ", not as "
                    + System.getProperty("user.name") + " or root\n", e.toString(StandardCharsets.UTF_8));
            assertEquals(List.of(), seen, "nothing was sent");
            assertTrue(XlClient.trusted(System.getProperty("user.name")) && XlClient.trusted("root") && !XlClient.trusted("mallory"));
        }
    }
}
