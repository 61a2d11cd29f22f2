package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.sched.credit1.internal.Credit1Provider;
import org.hvkit.testkit.Simulation;
import org.hvkit.testkit.TraceEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** xl save / xl restore on the simulated machine: the domain goes on where it stopped; bad files leave nothing. */
class XlSaveRestoreTest {
    @TempDir
    Path dir;

    private static final String WORK = "vcpus=2\ncpus='1-2'\nmemory=256\nworkload='run exp(2ms); sleep exp(3ms)'\n";

    private String cfg(String name, String body) throws IOException {
        Path p = dir.resolve(name + ".cfg");
        Files.writeString(p, "name='" + name + "'\n" + body);
        return p.toString();
    }

    private static int id(XlHarness h, String name) {
        return h.sim.hypervisor().findDomain(name).orElseThrow().id();
    }

    @Test
    void restoreHelpIsUsageWithStatus2AndRestoresNothing() throws IOException {
        try (XlHarness h = new XlHarness()) {
            h.run("create", cfg("w", WORK));
            String file = dir.resolve("w.save").toString();
            assertEquals(0, h.run("save", "w", file).status());
            for (String help : new String[] {"-h", "-ph"}) { // main_restore: case 'h': help("restore"); return 2;
                XlHarness.Result r = h.run("restore", help, file);
                assertEquals(2, r.status(), help + ": " + r.err());
                assertTrue((r.out() + r.err()).contains("restore [options] [<ConfigFile>] <CheckpointFile>"), help + ": " + r.out() + r.err());
                assertTrue(h.sim.hypervisor().findDomain("w").isEmpty(), help + " restored the domain");
            }
        }
    }

    @Test
    void aSavedDomainIsGoneAndTheRestoredOneRuns() throws IOException {
        try (XlHarness h = new XlHarness()) {
            h.run("create", cfg("w", WORK));
            h.sim.run(Duration.ofSeconds(1));
            long free = h.sim.hypervisor().physInfo().freeMemoryMb();
            String file = dir.resolve("w.save").toString();
            XlHarness.Result s = h.run("save", "w", file);
            assertEquals(0, s.status(), s.err());
            assertTrue(s.err().startsWith("Saving to " + file + " in hvkit save format 1 ("), s.err());
            assertTrue(h.sim.hypervisor().findDomain("w").isEmpty(), "xl save destroys the domain");
            assertEquals(free + 256, h.sim.hypervisor().physInfo().freeMemoryMb());

            XlHarness.Result r = h.run("restore", file);
            assertEquals(new XlHarness.Result(0, "", "Loading new save file " + file + " (hvkit save format)\n Savefile contains domain w, now domain 2\n"), r);
            assertEquals(free, h.sim.hypervisor().physInfo().freeMemoryMb());
            long before = h.sim.cpuTimeNs(2);
            h.sim.run(Duration.ofSeconds(1));
            assertTrue(h.sim.cpuTimeNs(2) - before > 500_000_000L, "the restored vCPUs run: " + (h.sim.cpuTimeNs(2) - before));
            assertEquals("1-2", h.sim.hypervisor().vcpus(2).get(1).hardAffinity().toRangeList());
        }
    }

    @Test
    void aConfigFileGivenToRestoreReplacesTheSavedOne() throws IOException {
        try (XlHarness h = new XlHarness()) {
            h.run("create", cfg("w", WORK));
            h.sim.run(Duration.ofMillis(300));
            String file = dir.resolve("w.save").toString();
            assertEquals(0, h.run("save", "w", file).status());
            long free = h.sim.hypervisor().physInfo().freeMemoryMb();

            String missing = dir.resolve("nosuch.cfg").toString();
            assertEquals(new XlHarness.Result(3, "", "Loading new save file " + file + " (hvkit save format)\nFailed to read config file: " + missing + ": No such file or directory\n"),
                    h.run("restore", missing, file));
            XlHarness.Result bad = h.run("restore", cfg("big", WORK.replace("memory=256", "memory=512")), file);
            assertEquals(3, bad.status(), bad.err());
            assertTrue(bad.err().contains("the replacement config gives memory = 512 but domain w was built with 256 MiB"), bad.err());
            XlHarness.Result slots = h.run("restore", cfg("wide", WORK.replace("vcpus=2", "vcpus=2\nmaxvcpus=4")), file);
            assertTrue(slots.status() == 3 && slots.err().contains("maxvcpus = 4 but domain w has 2 vCPU slots"), slots.err());
            assertEquals(free, h.sim.hypervisor().physInfo().freeMemoryMb(), "nothing half-created");

            String other = cfg("other", WORK + "cpu_weight=512\n");
            XlHarness.Result r = h.run("restore", other, file);
            assertEquals(0, r.status(), r.err());
            assertEquals("Parsing config from " + other + "\n", r.out());
            int id = id(h, "other");
            assertTrue(h.sim.hypervisor().findDomain("w").isEmpty());
            assertTrue(h.run("sched-credit", "-d", "other").out().contains(" 512 "), h.run("sched-credit", "-d", "other").out());
            long before = h.sim.cpuTimeNs(id);
            h.sim.run(Duration.ofSeconds(1));
            assertTrue(h.sim.cpuTimeNs(id) > before, "it runs");
        }
    }

    @Test
    void aConfigFileGivenToSaveIsWhatTheFileCarries() throws IOException {
        try (XlHarness h = new XlHarness()) {
            h.run("create", cfg("w", WORK));
            String file = dir.resolve("w.save").toString();
            assertEquals(new XlHarness.Result(2, "", "Unable to get config file\n"), h.run("save", "w", file, dir.resolve("nosuch.cfg").toString()));
            XlHarness.Result bad = h.run("save", "w", file, cfg("big", WORK.replace("memory=256", "memory=512")));
            assertEquals(1, bad.status(), bad.err());
            assertTrue(bad.err().contains("the replacement config gives memory = 512 but domain w was built with 256 MiB"), bad.err());
            assertTrue(h.sim.hypervisor().findDomain("w").isPresent() && !h.run("list", "w").out().contains("--p---"), "refused before pausing: the domain runs on");

            assertEquals(0, h.run("save", "w", file, cfg("later", WORK + "cpu_weight=128\n")).status());
            XlHarness.Result r = h.run("restore", file);
            assertTrue(r.status() == 0 && r.err().contains("Savefile contains domain later"), r.err());
            assertTrue(h.run("sched-credit", "-d", "later").out().contains(" 128 "), h.run("sched-credit", "-d", "later").out());
        }
    }

    @Test
    void theRestoredDomainHasItsNewNameAndItsBalloon() throws IOException {
        try (XlHarness h = new XlHarness()) {
            h.run("create", cfg("w", WORK + "maxmem=512\n"));
            h.run("rename", "w", "renamed");
            h.run("mem-set", "renamed", "128");
            h.run("mem-max", "renamed", "300");
            long free = h.sim.hypervisor().physInfo().freeMemoryMb();
            String file = dir.resolve("r.save").toString();
            assertEquals(0, h.run("save", "renamed", file).status());
            assertEquals(0, h.run("restore", file).status());
            var d = h.sim.hypervisor().findDomain("renamed").orElseThrow();
            assertEquals(128, d.memoryMb(), "the balloon as it was");
            assertEquals(300, d.maxMemoryMb());
            assertEquals(free, h.sim.hypervisor().physInfo().freeMemoryMb(), "holding what it held");
            assertEquals(0, h.run("mem-set", "renamed", "256").status());
            assertEquals(256, h.sim.hypervisor().findDomain("renamed").orElseThrow().memoryMb());
        }
    }

    @Test
    void aCheckpointLeavesTheDomainRunningAndPausedRestoreWaits() throws IOException {
        try (XlHarness h = new XlHarness()) {
            h.run("create", cfg("w", WORK));
            h.run("vcpu-set", "w", "1");
            h.run("sched-credit", "-d", "w", "-w", "512");
            h.sim.run(Duration.ofMillis(300));
            String file = dir.resolve("w.save").toString();
            assertEquals(0, h.run("save", "-c", "w", file).status());
            long t = h.sim.cpuTimeNs(id(h, "w"));
            h.sim.run(Duration.ofMillis(100));
            assertTrue(h.sim.cpuTimeNs(id(h, "w")) > t, "still running after a checkpoint");
            assertTrue(!h.run("list", "w").out().contains("--p---"), "and not paused");
            XlHarness.Result clash = h.run("restore", file);
            assertEquals(3, clash.status());
            assertTrue(clash.err().endsWith("libxl: error: libxl.c:331:libxl__domain_rename: domain with name \"w\" already exists.\n"), clash.err());
            assertEquals(2, h.sim.hypervisor().listDomains().size(), "nothing half-created");

            h.run("destroy", "w");
            assertEquals(0, h.run("restore", "-p", file).status());
            int w = id(h, "w");
            assertTrue(h.run("list", "w").out().contains(" --p---"), h.run("list", "w").out());
            assertEquals(1, h.sim.hypervisor().findDomain("w").orElseThrow().onlineVcpus(), "online vCPUs come back as saved");
            assertEquals(512L, h.sim.hypervisor().domainSchedParams(w).get("weight"), "so does the weight");
            h.sim.run(Duration.ofMillis(300));
            assertEquals(0, h.sim.cpuTimeNs(w), "paused until unpaused");
            h.run("unpause", "w");
            h.sim.run(Duration.ofMillis(300));
            assertTrue(h.sim.cpuTimeNs(w) > 0);
        }
    }

    /** (kind, time) of every trace event of the domain with id {@code domid[0]} from {@code from[0]} on. */
    private static XlHarness traced(List<String> events, int[] domid, long[] from) {
        return new XlHarness(Simulation.builder().topology(HostTopology.of(1, 4, 1, 1, 8L << 30)).scheduler(new Credit1Provider()).seed(1)
                .traceListener(e -> {
                    if (e.domid() == domid[0] && e.timeNs() >= from[0] && e.kind() != TraceEvent.Kind.MIGRATE) {
                        events.add(e.kind() + "@" + (e.timeNs() - from[0]) + " v" + e.vcpu());
                    }
                }));
    }

    @Test
    void aRestoredWorkloadContinuesExactlyAsTheSavedOneWouldHave() throws IOException {
        List<String> reference = new ArrayList<>(), restored = new ArrayList<>();
        int[] refDom = {-1}, resDom = {-1};
        long[] refFrom = {Long.MAX_VALUE}, resFrom = {Long.MAX_VALUE};
        try (XlHarness r = traced(reference, refDom, refFrom); XlHarness s = traced(restored, resDom, resFrom)) {
            r.run("create", cfg("w", WORK));
            s.run("create", cfg("w", WORK));
            r.sim.run(Duration.ofMillis(777));
            s.sim.run(Duration.ofMillis(777));
            refDom[0] = id(r, "w");
            refFrom[0] = r.sim.now();
            String file = dir.resolve("w.save").toString();
            assertEquals(0, s.run("save", "w", file).status());
            assertEquals(0, s.run("restore", file).status());
            resDom[0] = id(s, "w");
            resFrom[0] = s.sim.now();
            assertEquals(refFrom[0], resFrom[0], "save and restore take no virtual time");
            r.sim.run(Duration.ofSeconds(1));
            s.sim.run(Duration.ofSeconds(1));
        }
        // the first instants differ by how each got onto its pCPU (running on, or woken after restore): compare from the first block on
        List<String> a = reference.subList(firstBlock(reference), reference.size()), b = restored.subList(firstBlock(restored), restored.size());
        assertTrue(a.size() > 200, "enough events to mean something: " + a.size());
        assertEquals(a, b, "the same phases of the same lengths, from the same generator state");
    }

    private static int firstBlock(List<String> ev) {
        for (int i = 0; i < ev.size(); i++) if (ev.get(i).startsWith("BLOCK")) return i;
        return ev.size();
    }

    @Test
    void corruptOrTruncatedFilesAreRefusedAndLeaveNothing() throws IOException {
        try (XlHarness h = new XlHarness()) {
            h.run("create", cfg("w", WORK));
            h.sim.run(Duration.ofMillis(100));
            Path good = dir.resolve("good.save");
            assertEquals(0, h.run("save", "w", good.toString()).status());
            byte[] bytes = Files.readAllBytes(good);
            long free = h.sim.hypervisor().physInfo().freeMemoryMb();
            Path bad = dir.resolve("bad.save");

            Files.write(bad, "not a save file at all".getBytes());
            assertRefused(h, bad, free, "\nFile has wrong magic number - corrupt or for a different tool?\n"); // xl's own check in 4.2: no libxl prefix
            for (int len = 0; len < bytes.length; len += len < 64 ? 1 : 7) {
                Files.write(bad, java.util.Arrays.copyOf(bytes, len));
                String msg = assertRefused(h, bad, free, null);
                assertTrue(msg.contains("truncated") || msg.contains("wrong magic"), "length " + len + ": " + msg);
            }
            Random rnd = new Random(19);
            for (int i = 0; i < 2000; i++) {
                byte[] c = bytes.clone();
                int at = rnd.nextInt(c.length);
                c[at] ^= (byte) (1 << rnd.nextInt(8));
                Files.write(bad, c);
                assertRefused(h, bad, free, null);
            }
            byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
            Files.write(bad, longer);
            assertTrue(assertRefused(h, bad, free, null).contains("trailing bytes after the END record"));
            assertEquals(0, h.run("restore", good.toString()).status(), "the good file still restores after all that");
        }
    }

    /** Restoring {@code f} fails with status 3 and leaves only Domain-0 and the host's free memory as they were. */
    private static String assertRefused(XlHarness h, Path f, long free, String wantTail) {
        XlHarness.Result r = h.run("restore", f.toString());
        assertEquals(3, r.status(), r.err());
        String last = r.err().lines().reduce((x, y) -> y).orElse("");
        assertTrue(last.startsWith("libxl: error: libxl_create.c:837:libxl__xc_domain_restore_done: ") || last.startsWith("File has wrong magic number"), r.err());
        if (wantTail != null) assertTrue(r.err().endsWith(wantTail), r.err());
        assertEquals(1, h.sim.hypervisor().listDomains().size(), "nothing half-created: " + r.err());
        assertEquals(free, h.sim.hypervisor().physInfo().freeMemoryMb());
        return last;
    }
}
