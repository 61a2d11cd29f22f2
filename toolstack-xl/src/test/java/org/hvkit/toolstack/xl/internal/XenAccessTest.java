package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.p2m.P2m;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.memaccess.internal.MemAccessService;
import org.junit.jupiter.api.Test;

/** {@code hv xen-access} against the real memory access service on the real simulated machine. */
class XenAccessTest {
    record Run(CompletableFuture<Integer> status, ByteArrayOutputStream out, ByteArrayOutputStream err, PipedOutputStream keys) {
    }

    private static Run start(XlHarness h, MemAccessService ma, String... args) throws Exception {
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys);
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        HvCommand cmd = new HvCommand(h.sim.hypervisor(), ma, in);
        CompletableFuture<Integer> f = CompletableFuture.supplyAsync(
                () -> cmd.run(List.of(args), new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8)));
        return new Run(f, o, e, keys);
    }

    private static long pageLines(Run r) {
        return r.out().toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("PAGE ACCESS: ")).count();
    }

    private static void stepUntil(XlHarness h, java.util.function.BooleanSupplier c) {
        long end = System.nanoTime() + 20_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("not reached");
            h.sim.run(Duration.ofMillis(1));
            Thread.onSpinWait();
        }
    }

    /** One writing vCPU: with several, two may fault on one page before it is opened, and each is logged (as on Xen). */
    @Test
    void writeModeLogsTheFirstWritePerPageThenRestoresOnQ() throws Exception {
        try (XlHarness h = new XlHarness(); MemAccessService ma = closing(new MemAccessService(h.sim.platform(), 1_000_000_000L))) {
            int d = h.sim.create(DomainConfig.builder("writer").vcpus(1).memoryMb(64).platformOptions(Map.of("workload", "run 1ms touch w 0x10000-0x1ffff every 5us; sleep 1ms")).build()).id();
            Run r = start(h, ma, "xen-access", "writer", "write");
            stepUntil(h, () -> r.err().toString(StandardCharsets.UTF_8).contains("starting write"));
            stepUntil(h, () -> pageLines(r) >= 16);
            h.sim.run(Duration.ofMillis(30));
            Thread.sleep(300); // a late line would show up in this time
            r.keys().write('q');
            r.keys().flush();
            stepUntil(h, () -> r.status().isDone());
            assertEquals(0, r.status().get());
            String out = r.out().toString(StandardCharsets.UTF_8), err = r.err().toString(StandardCharsets.UTF_8);
            assertEquals(16, pageLines(r), out);
            List<String> gfns = new ArrayList<>();
            for (String l : out.lines().toList()) {
                assertTrue(l.matches("PAGE ACCESS: -w- for GFN 1[0-9a-f] \\(offset 000000\\) gla 0000000000000000 \\(vcpu 0\\)"), l);
                gfns.add(l.split(" ")[5]);
            }
            assertEquals(16, gfns.stream().distinct().count(), "each page once: " + out);
            assertEquals("max_pages = 4000\nstarting write " + d + "\nxenaccess shutting down on signal 15\nxenaccess shut down on signal 15\n", err);
            P2m p2m = h.sim.hypervisor().p2m(d);
            assertEquals(0, p2m.counts().pagesByAccess().entrySet().stream().filter(e -> e.getKey() != P2mAccess.RWX).mapToLong(Map.Entry::getValue).sum());
            assertEquals(P2mAccess.RWX, p2m.defaultAccess());
            // the listener is gone: a second run may enable again
            Run r2 = start(h, ma, "xen-access", "-t", "1", String.valueOf(d), "exec");
            stepUntil(h, () -> r2.status().isDone());
            assertEquals(0, r2.status().get(5, TimeUnit.SECONDS));
            assertTrue(r2.err().toString(StandardCharsets.UTF_8).endsWith("xenaccess shut down on signal 14\n"), r2.err().toString(StandardCharsets.UTF_8));
            assertEquals(0, pageLines(r2), "the workload executes nothing");
        }
    }

    @Test
    void interruptIsCtrlC() throws Exception {
        try (XlHarness h = new XlHarness(); MemAccessService ma = closing(new MemAccessService(h.sim.platform(), 1_000_000_000L))) {
            h.sim.create(DomainConfig.builder("w").vcpus(1).memoryMb(16).platformOptions(Map.of("workload", "cpu")).build());
            ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
            HvCommand cmd = new HvCommand(h.sim.hypervisor(), ma, null);
            Thread t = Thread.ofPlatform().start(() -> cmd.run(List.of("xen-access", "-m", "w", "exec"), new PrintStream(o, true), new PrintStream(e, true)));
            stepUntil(h, () -> e.toString().contains("starting exec"));
            t.interrupt();
            t.join(5000);
            assertTrue(e.toString().endsWith("xenaccess shutting down on signal 2\nxenaccess shut down on signal 2\n"), e.toString());
            assertTrue(ma.accessRequired(1), "-m set access_required (xen-access leaves it so)");
        }
    }

    @Test
    void secondXenAccessIsRefusedAsXenDoes() throws Exception {
        try (XlHarness h = new XlHarness(); MemAccessService ma = closing(new MemAccessService(h.sim.platform(), 1_000_000_000L))) {
            int d = h.sim.create(DomainConfig.builder("w").vcpus(1).memoryMb(16).platformOptions(Map.of("workload", "cpu")).build()).id();
            var s = ma.enable(d, ev -> org.hvkit.api.memaccess.AccessResponse.resume());
            ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
            int st = new HvCommand(h.sim.hypervisor(), ma, null).run(List.of("xen-access", "w", "write"), new PrintStream(o, true), new PrintStream(e, true));
            assertEquals(1, st);
            assertEquals("xc: error: xenaccess is (or was) active on this domain: Internal error\nxc: error: Error initialising xenaccess: Internal error\n", e.toString());
            s.close();
        }
    }

    @Test
    void argumentsAreCheckedBeforeAnythingHappens() {
        for (List<String> bad : List.<List<String>>of(List.of(), List.of("1"), List.of("1", "read"), List.of("-x", "1", "write"), List.of("-m", "-m", "1", "write"),
                List.of("-t", "0", "1", "write"), List.of("-t", "1e3", "1", "write"), List.of("-t"), List.of("1", "write", "extra"), List.of("1", "int3"),
                List.of("-t", "99999999999999999999", "1", "exec"))) {
            assertThrows(IllegalArgumentException.class, () -> XenAccess.parse(bad), bad.toString());
        }
        assertEquals(new XenAccess.Args(true, 5000, "web", false), XenAccess.parse(List.of("-t", "5", "-m", "web", "exec")));
        assertEquals(new XenAccess.Args(false, 0, "-", true), XenAccess.parse(List.of("-", "write")));
    }

    /** Random argument vectors (xen-access's and hv's) never throw out of the command and never leave a listener behind. */
    @Test
    void fuzzedArgumentsNeverEscape() {
        String[] words = {"-m", "-t", "1", "0", "-1", "x", "write", "exec", "int3", "Domain-0", "0", "w", "", " ", "-", "--", "-tm", "p2m", "xen-access", "\u0000", "9999999999"};
        try (XlHarness h = new XlHarness(); MemAccessService ma = closing(new MemAccessService(h.sim.platform(), 1_000_000_000L))) {
            HvCommand cmd = new HvCommand(h.sim.hypervisor(), ma, null);
            Random r = new Random(16);
            PrintStream sink = new PrintStream(new ByteArrayOutputStream());
            for (int i = 0; i < 20_000; i++) {
                List<String> a = new ArrayList<>();
                a.add(r.nextInt(4) == 0 ? "p2m" : "xen-access");
                for (int n = r.nextInt(6); n > 0; n--) a.add(r.nextInt(8) == 0 ? randomWord(r) : words[r.nextInt(words.length)]);
                // keep runs short: any vector that would start listening gets -t 1 is not wanted here, so a valid one is skipped
                if (a.get(0).equals("xen-access")) {
                    try {
                        XenAccess.parse(a.subList(1, a.size()));
                        continue;
                    } catch (IllegalArgumentException expected) {
                        // a usage error: run it
                    }
                }
                int st = cmd.run(a, sink, sink);
                assertTrue(st == 1 || st == 2 || st == 0, a + " -> " + st);
            }
        }
    }

    private static String randomWord(Random r) {
        StringBuilder b = new StringBuilder();
        for (int n = r.nextInt(12); n > 0; n--) b.append((char) (r.nextInt(3) == 0 ? r.nextInt(0x20, 0x7f) : r.nextInt(0, 0x3000)));
        return b.toString();
    }

    private static MemAccessService closing(MemAccessService s) {
        return s;
    }
}
