package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.sched.credit1.internal.Credit1Provider;
import org.hvkit.testkit.Simulation;
import org.hvkit.testkit.TraceEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * xl migrate between two simulated hosts: the target is reached as 4.2 reaches it, by a command
 * run under sh, here a real ./xl-like client process talking to the target's xl socket; the
 * sender speaks 4.2's handshake with it. Faults leave the source running and nothing on the target.
 */
class XlMigrateTest {
    @TempDir
    Path dir;

    private static final String WORK = "vcpus=2\ncpus='1-2'\nmemory=256\nworkload='run exp(2ms); sleep exp(3ms)'\n";

    private String cfg(String name, String body) throws IOException {
        Path p = dir.resolve(name + ".cfg");
        Files.writeString(p, "name='" + name + "'\n" + body);
        return p.toString();
    }

    /** A receiving host: a simulated machine serving xl on a socket, as ./hvkit daemon does. */
    private static final class Target implements AutoCloseable {
        final XlHarness h;
        final XlSocketServer server;

        Target(XlHarness h, Path socket) throws IOException {
            this.h = h;
            this.server = XlSocketServer.start(socket, h.xl::run, null);
        }

        @Override
        public void close() {
            server.close();
            h.close();
        }
    }

    private Target target(XlHarness h) throws IOException {
        return new Target(h, dir.resolve("b").resolve("xl.sock"));
    }

    /** What ./xl migrate-receive is on the target: the standalone client, run as a process of its own. */
    private static String receiver(Target t) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' " + XlClient.class.getName() + " --socket '" + t.server.socket()
                + "' migrate-receive";
    }

    private static int id(XlHarness h, String name) {
        return h.sim.hypervisor().findDomain(name).orElseThrow().id();
    }

    @Test
    void aRunningDomainMovesAndContinuesExactlyAsItWouldHave() throws IOException {
        List<String> reference = new ArrayList<>(), moved = new ArrayList<>();
        int[] refDom = {-1}, movDom = {-1};
        long[] refFrom = {Long.MAX_VALUE}, movFrom = {Long.MAX_VALUE};
        try (XlHarness r = traced(reference, refDom, refFrom); XlHarness a = new XlHarness(); Target b = target(traced(moved, movDom, movFrom))) {
            r.run("create", cfg("w", WORK));
            a.run("create", cfg("w", WORK));
            r.sim.run(Duration.ofMillis(777));
            a.sim.run(Duration.ofMillis(777));
            long free = b.h.sim.hypervisor().physInfo().freeMemoryMb();
            movDom[0] = 1; // the first domain the target creates
            movFrom[0] = b.h.sim.now();
            XlHarness.Result m = a.run("migrate", "-s", "", "w", receiver(b));
            assertEquals(0, m.status(), m.err());
            assertEquals("""
                    migration target: Ready to receive domain.
                    migration target: Transfer complete, requesting permission to start domain.
                    migration sender: Target has acknowledged transfer.
                    migration sender: Giving target permission to start.
                    migration target: Got permission, starting domain.
                    migration target: Domain started successsfully.
                    migration sender: Target reports successful startup.
                    Migration successful.
                    """, sorted4_2(m.err()));
            assertTrue(a.sim.hypervisor().findDomain("w").isEmpty(), "gone from the source");
            assertTrue(a.sim.hypervisor().findDomain("w--migratedaway").isEmpty(), "and destroyed, not left renamed");
            assertEquals(1, id(b.h, "w"), "on the target under its own name");
            assertEquals(free - 256, b.h.sim.hypervisor().physInfo().freeMemoryMb());
            assertEquals("1-2", b.h.sim.hypervisor().vcpus(1).get(1).hardAffinity().toRangeList());
            assertFalse(b.h.run("list", "w").out().contains("--p---"), "running, not paused: " + b.h.run("list", "w").out());
            refDom[0] = id(r, "w");
            refFrom[0] = r.sim.now();
            r.sim.run(Duration.ofSeconds(1));
            b.h.sim.run(Duration.ofSeconds(1));
        }
        List<String> x = reference.subList(firstBlock(reference), reference.size()), y = moved.subList(firstBlock(moved), moved.size());
        assertTrue(x.size() > 200, "enough events to mean something: " + x.size());
        assertEquals(x, y, "the moved domain goes on with the same phases of the same lengths, from the same generator state");
    }

    @Test
    void minusCSendsAReplacementConfigTheTargetBuildsTheDomainUnder() throws IOException {
        try (XlHarness a = new XlHarness(); Target b = target(new XlHarness())) {
            a.run("create", cfg("w", WORK));
            a.sim.run(Duration.ofMillis(300));
            // what the saved state depends on must agree: refused at the sender, the domain runs on
            XlHarness.Result bad = a.run("migrate", "-C", cfg("small", WORK.replace("memory=256", "memory=128")), "-s", "", "w", receiver(b));
            assertEquals(3, bad.status(), bad.err());
            assertTrue(bad.err().contains("the replacement config gives memory = 128 but domain w was built with 256 MiB"), bad.err());
            assertSourceRuns(a);
            assertTrue(b.h.sim.hypervisor().findDomain("w--incoming").isEmpty() && b.h.sim.hypervisor().findDomain("small").isEmpty());
            XlHarness.Result empty = a.run("migrate", "-C", Files.writeString(dir.resolve("empty.cfg"), "").toString(), "-s", "", "w", receiver(b));
            assertEquals(new XlHarness.Result(1, "", "No config file stored for running domain and none supplied - cannot migrate.\n"), empty);

            XlHarness.Result m = a.run("migrate", "-C", cfg("renamed", WORK + "cpu_weight=512\n"), "-s", "", "w", receiver(b));
            assertEquals(0, m.status(), m.err());
            assertTrue(a.sim.hypervisor().findDomain("w").isEmpty(), "gone from the source");
            var moved = b.h.sim.hypervisor().findDomain("renamed").orElseThrow(() -> new AssertionError("not on the target under the replacement's name: " + b.h.run("list").out()));
            assertTrue(b.h.run("sched-credit", "-d", "renamed").out().contains("512"), "the replacement's weight: " + b.h.run("sched-credit", "-d", "renamed").out());
            assertEquals(2, moved.onlineVcpus());
        }
    }

    /** The two processes' lines interleave as their pipes deliver them; each side's own order is what 4.2 prints. */
    private static String sorted4_2(String err) {
        List<String> order = List.of("migration target: Ready", "migration target: Transfer", "migration sender: Target has", "migration sender: Giving",
                "migration target: Got", "migration target: Domain started", "migration sender: Target reports", "Migration successful");
        List<String> lines = new ArrayList<>(Arrays.asList(err.split("\n")));
        lines.sort((p, q) -> Integer.compare(rank(order, p), rank(order, q)));
        return String.join("\n", lines) + "\n";
    }

    private static int rank(List<String> order, String line) {
        for (int i = 0; i < order.size(); i++) if (line.startsWith(order.get(i))) return i;
        return -1;
    }

    private static XlHarness traced(List<String> events, int[] domid, long[] from) {
        return new XlHarness(Simulation.builder().topology(HostTopology.of(1, 4, 1, 1, 8L << 30)).scheduler(new Credit1Provider()).seed(1)
                .traceListener(e -> {
                    if (e.domid() == domid[0] && e.timeNs() >= from[0] && e.kind() != TraceEvent.Kind.MIGRATE) {
                        events.add(e.kind() + "@" + (e.timeNs() - from[0]) + " v" + e.vcpu());
                    }
                }));
    }

    private static int firstBlock(List<String> ev) {
        for (int i = 0; i < ev.size(); i++) if (ev.get(i).startsWith("BLOCK")) return i;
        return ev.size();
    }

    // ------------------------------------------------------------------ faults

    /** The stream a migration of {@code w} sends, caught by a "receiver" that only prints the banner. */
    private byte[] capture(XlHarness a) throws IOException {
        Path f = dir.resolve("stream.bin");
        XlHarness.Result m = a.run("migrate", "-s", "", "w", "printf 'xl migration receiver ready, send binary domain data.\\n'; timeout 2 cat > '" + f + "'");
        assertEquals(3, m.status(), m.err());
        assertTrue(m.err().contains("migration receiver stream ended (EOF) while reading ready message"), m.err());
        assertTrue(m.err().endsWith("Migration failed, resuming at sender.\n"), m.err());
        return Files.readAllBytes(f);
    }

    private static void assertSourceRuns(XlHarness a) {
        var d = a.sim.hypervisor().findDomain("w");
        assertTrue(d.isPresent(), "the source domain keeps its name");
        assertFalse(a.run("list", "w").out().contains("--p---"), "and runs: " + a.run("list", "w").out());
        long t = a.sim.cpuTimeNs(d.get().id());
        a.sim.run(Duration.ofMillis(100));
        assertTrue(a.sim.cpuTimeNs(d.get().id()) > t, "it runs on");
    }

    private static void assertNothingOn(Target b, long free) {
        assertEquals(1, b.h.sim.hypervisor().listDomains().size(), "nothing half-created on the target: " + b.h.sim.hypervisor().listDomains());
        assertEquals(free, b.h.sim.hypervisor().physInfo().freeMemoryMb(), "and no memory held");
    }

    @Test
    void aCutConnectionLeavesTheSourceRunningAndNothingOnTheTarget() throws IOException {
        try (XlHarness a = new XlHarness(); Target b = target(new XlHarness())) {
            a.run("create", cfg("w", WORK));
            a.sim.run(Duration.ofMillis(200));
            long free = b.h.sim.hypervisor().physInfo().freeMemoryMb();
            byte[] stream = capture(a);
            assertSourceRuns(a);
            // the connection cut after the target built the domain, before its state arrived
            XlHarness.Result m = a.run("migrate", "-s", "", "w", "head -c " + (stream.length - 100) + " | " + receiver(b));
            assertEquals(3, m.status(), m.err());
            assertTrue(m.err().contains("libxl: error: libxl_create.c:837:libxl__xc_domain_restore_done: migration stream truncated: it ends at byte " + (stream.length - 100)), m.err());
            assertTrue(m.err().contains("migration target: Domain creation failed (code -3)."), m.err());
            assertTrue(m.err().contains("Migration failed, resuming at sender."), m.err());
            assertSourceRuns(a);
            assertNothingOn(b, free);
        }
    }

    @Test
    void aTargetKilledMidStreamLeavesTheSourceRunningAndNothingOnTheTarget() throws Exception {
        try (XlHarness a = new XlHarness(); Target b = target(new XlHarness())) {
            a.run("create", cfg("w", WORK));
            a.sim.run(Duration.ofMillis(200));
            long free = b.h.sim.hypervisor().physInfo().freeMemoryMb();
            byte[] stream = capture(a);
            // the receiver gets the first part, then nothing: kill it while the target holds w--incoming
            Thread killer = Thread.ofVirtual().start(() -> {
                long end = System.nanoTime() + 20_000_000_000L;
                while (System.nanoTime() < end && b.h.sim.hypervisor().findDomain("w--incoming").isEmpty()) sleep(10);
                ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("").contains(XlClient.class.getName())).forEach(ProcessHandle::destroyForcibly);
            });
            XlHarness.Result m = a.run("migrate", "-s", "", "w", "(head -c " + (stream.length - 100) + "; sleep 3) | " + receiver(b));
            killer.join();
            assertEquals(3, m.status(), m.err());
            assertTrue(m.err().contains("migration receiver stream ended (EOF) while reading ready message"), m.err());
            assertTrue(m.err().contains("Migration failed, resuming at sender."), m.err());
            assertSourceRuns(a);
            // the target's command learns its client is gone and throws the half-received domain away
            long end = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < end && b.h.sim.hypervisor().listDomains().size() > 1) sleep(20);
            assertNothingOn(b, free);
            assertTrue(b.h.run("dmesg").out().contains("w--incoming): restore failed; destroyed"), b.h.run("dmesg").out());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void garbageInsteadOfTheBannerIsRefusedBeforeAnythingIsSent() throws IOException {
        try (XlHarness a = new XlHarness()) {
            a.run("create", cfg("w", WORK));
            XlHarness.Result m = a.run("migrate", "-s", "", "w", "echo 'Welcome to some other host, this is a very long message of the day'; cat > /dev/null");
            assertEquals(1, m.status(), m.err());
            assertEquals("migration receiver stream contained unexpected data instead of banner\n(command run was: echo 'Welcome to some other host, this is a very long message of the day'; cat > /dev/null )\n", m.err());
            assertSourceRuns(a);
        }
    }

    @Test
    void domainZeroAndBadArgumentsAreRefusedBeforeAnythingRuns() {
        try (XlHarness a = new XlHarness()) {
            assertEquals(new XlHarness.Result(1, "", "libxl: error: libxl_dom.c:1306:libxl__xc_domain_save_done: Domain-0 cannot be migrated\n"), a.run("migrate", "-s", "", "0", "touch should-not-run"));
            XlHarness.Result r = a.run("migrate", "nosuch", "h");
            assertEquals(2, r.status());
            assertTrue(r.err().startsWith("nosuch is an invalid domain identifier"), r.err());
            assertEquals(new XlHarness.Result(2, "", "Unable to get config file\n"), a.run("migrate", "-C", "nosuch.cfg", "0", "touch should-not-run"), "4.2's exit(2), no usage");
            assertFalse(Files.exists(Path.of("should-not-run")));
        }
    }

    /** migrate-receive fed {@code stream} directly (the shell's stdin), as the target's daemon runs it. */
    private static XlHarness.Result receive(XlHarness b, byte[] stream) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int st = b.xl.run("/", List.of("migrate-receive"), new ByteArrayInputStream(stream), new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new XlHarness.Result(st, o.toString(StandardCharsets.ISO_8859_1), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void garbageOnTheStreamIsRefusedWithWhereAndLeavesNothing() throws IOException {
        try (XlHarness a = new XlHarness(); XlHarness b = new XlHarness()) {
            a.run("create", cfg("w", WORK));
            a.sim.run(Duration.ofMillis(200));
            byte[] stream = capture(a);
            long free = b.sim.hypervisor().physInfo().freeMemoryMb();
            byte[] go = ByteBuffer.allocate(stream.length + MigrateCommands.GO.length).put(stream).put(MigrateCommands.GO).array();
            XlHarness.Result ok = receive(b, go);
            assertEquals(0, ok.status(), ok.err());
            assertTrue(b.sim.hypervisor().findDomain("w").isPresent(), "the intact stream is received");
            b.run("destroy", "w");
            free = b.sim.hypervisor().physInfo().freeMemoryMb();

            XlHarness.Result junk = receive(b, "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(3, junk.status());
            assertEquals("migration target: Ready to receive domain.\n"
                    + "libxl: error: libxl_create.c:837:libxl__xc_domain_restore_done: migration stream has wrong magic number - not an hvkit migration stream\n"
                    + "migration target: Domain creation failed (code -3).\n", junk.err());
            Random rnd = new Random(19);
            for (int i = 0; i < 500; i++) {
                byte[] c = go.clone();
                int at = rnd.nextInt(stream.length);
                c[at] ^= (byte) (1 << rnd.nextInt(8));
                XlHarness.Result r = receive(b, c);
                assertEquals(3, r.status(), "flip at byte " + at + ": " + r.err());
                assertTrue(r.err().contains("libxl: error: libxl_create.c:837:libxl__xc_domain_restore_done: "),
                        r.err());
                assertEquals(1, b.sim.hypervisor().listDomains().size(), "flip at byte " + at + " left a domain: " + r.err());
            }
            assertEquals(free, b.sim.hypervisor().physInfo().freeMemoryMb());
        }
    }

    @Test
    void aDomainWhoseCpuTheTargetLacksIsRefusedClearly() throws IOException {
        try (XlHarness a = new XlHarness(); XlHarness b = new XlHarness()) {
            a.run("create", cfg("w", WORK));
            byte[] stream = capture(a);
            // the same stream, from a host whose CPU has AVX-512 (the target's Sandy Bridge has not)
            ByteBuffer in = ByteBuffer.wrap(stream);
            in.position(16);
            int type = in.getInt();
            assertEquals(4, type, "the CPU record comes first");
            int len = (int) in.getLong();
            var cpu = new java.io.DataInputStream(new ByteArrayInputStream(stream, 28, len));
            String vendor = cpu.readUTF(), model = cpu.readUTF();
            int n = cpu.readInt();
            java.util.TreeSet<String> f = new java.util.TreeSet<>();
            for (int i = 0; i < n; i++) f.add(cpu.readUTF());
            f.add("avx512f");
            f.add("avx512bw");
            ByteArrayOutputStream pay = new ByteArrayOutputStream();
            var o = new java.io.DataOutputStream(pay);
            o.writeUTF(vendor);
            o.writeUTF("SkylakeServer");
            o.writeInt(f.size());
            for (String s : f) o.writeUTF(s);
            byte[] p = pay.toByteArray();
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(new byte[] {0, 0, 0, 4});
            crc.update(p);
            ByteBuffer forged = ByteBuffer.allocate(stream.length - len + p.length);
            forged.put(stream, 0, 16).putInt(4).putLong(p.length).put(p).putInt((int) crc.getValue()).put(stream, 28 + len + 4, stream.length - 28 - len - 4);
            XlHarness.Result r = receive(b, forged.array());
            assertEquals(3, r.status());
            assertTrue(r.err().contains("libxl: error: libxl_create.c:837:libxl__xc_domain_restore_done: the domain's CPU (SkylakeServer) does not fit this host's (" + model
                    + "): it lacks 2 features the domain may use: avx512bw avx512f\n"), r.err());
            assertEquals(1, b.sim.hypervisor().listDomains().size(), "nothing created");
        }
    }
}
