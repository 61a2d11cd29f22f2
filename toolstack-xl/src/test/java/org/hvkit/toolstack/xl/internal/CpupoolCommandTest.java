package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.platform.HostTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** xl cpupool-* and hvkit's hv command against the real core. */
class CpupoolCommandTest {
    @TempDir
    Path dir;

    private static final HostTopology TWO_NODES = HostTopology.of(2, 2, 1, 2, 8L << 30);

    @Test
    void createListDestroyWithXensOutputAndRules() throws IOException {
        try (XlHarness h = new XlHarness(TWO_NODES)) {
            assertEquals("Name               CPUs   Sched     Active   Domain count\n"
                    + "Pool-0               4    credit       y          1\n", h.run("cpupool-list").out());
            XlHarness.Result notFree = h.run("cpupool-create", "name=\"p1\"", "cpus=[\"3\"]");
            assertEquals(3, notFree.status());
            assertEquals("cpu 3 illegal or not free\n", notFree.err());
            assertEquals(0, h.run("cpupool-cpu-remove", "Pool-0", "node:1").status());
            Path f = dir.resolve("p1.cfg");
            Files.writeString(f, "name = \"p1\"\nsched = \"credit\"\ncpus = [\"2\", \"3\"]\n");
            XlHarness.Result c = h.run("cpupool-create", f.toString());
            assertEquals(0, c.status(), c.err());
            assertEquals("Using config file \"" + f + "\"\ncpupool name:   p1\nscheduler:      credit\nnumber of cpus: 2\n", c.out());
            assertEquals("Pool name \"p1\" already exists\n", h.run("cpupool-create", "name=\"p1\"").err());
            assertEquals("Unknown scheduler\n", h.run("cpupool-create", "name=\"p2\"", "sched=\"sedf\"").err());
            assertEquals("Missing cpupool name!\n", h.run("cpupool-create", "sched=\"credit\"").err());
            XlHarness.Result bare = h.run("cpupool-create", "-n", "name=bare", "cpus=0-1");
            assertEquals(3, bare.status(), "cpus 0-1 are Pool-0's");
            assertEquals("cpu 0-1 illegal or not free\n", bare.err());
            XlHarness.Result dry = h.run("cpupool-create", "-n", "name=\"p3\"");
            assertEquals(0, dry.status());
            assertTrue(dry.out().startsWith("Using config file \"command line\"\ncpupool name:   p3\n"));
            assertTrue(h.sim.hypervisor().findPool("p3").isEmpty(), "a dry run creates nothing");
            assertEquals("Name               CPUs   Sched     Active   Domain count\n"
                    + "Pool-0               2    credit       y          1\n"
                    + "p1                   2    credit       y          0\n", h.run("cpupool-list").out());
            assertEquals("Name               CPU list\nPool-0             0,1\np1                 2,3\n", h.run("cpupool-list", "-c").out());
            assertEquals("Pool 'nope' does not exist\n", h.run("cpupool-list", "nope").err());
            h.sim.create(DomainConfig.builder("web").pool("p1").vcpus(2).platformOptions(Map.of("workload", "cpu")).build());
            XlHarness.Result busy = h.run("cpupool-destroy", "p1");
            assertEquals(3, busy.status());
            assertTrue(busy.err().startsWith("libxl: error: libxl.c:4712:libxl_cpupool_destroy: cpupool p1 still has 1 domain(s)"), busy.err());
            XlHarness.Result last = h.run("cpupool-cpu-remove", "p1", "2");
            assertEquals(0, last.status(), last.err());
            XlHarness.Result lastCpu = h.run("cpupool-cpu-remove", "p1", "3");
            assertEquals(3, lastCpu.status());
            assertTrue(lastCpu.err().contains("would lose its last cpu"), lastCpu.err());
            assertEquals(0, h.run("cpupool-migrate", "web", "Pool-0").status());
            assertEquals(0, h.run("cpupool-rename", "p1", "spare").status());
            assertEquals("Can't rename cpupool 'spare'.\n", h.run("cpupool-rename", "spare", "Pool-0").err());
            assertEquals(0, h.run("cpupool-destroy", "spare").status());
            assertEquals("unknown cpupool 'spare'\n", h.run("cpupool-destroy", "spare").err());
            assertEquals("Name               CPU list\nPool-0             0,1\n", h.run("cpupool-list", "-c").out());
        }
    }

    @Test
    void cpuAddByNodeAndNumaSplit() {
        try (XlHarness h = new XlHarness(TWO_NODES)) {
            assertEquals(0, h.run("cpupool-numa-split").status());
            assertEquals("Name               CPU list\nPool-node0         0,1\nPool-node1         2,3\n", h.run("cpupool-list", "-c").out());
            assertEquals("splitting not possible, already cpupools in use\n", h.run("cpupool-numa-split").err());
            assertEquals(0, h.run("cpupool-cpu-remove", "Pool-node1", "node:1").status());
            assertEquals(0, h.run("cpupool-cpu-add", "Pool-node0", "node:1").status());
            assertEquals("no free cpu found\n", h.run("cpupool-cpu-add", "Pool-node0", "node:1").err());
            assertEquals("Name               CPU list\nPool-node0         0,1,2,3\nPool-node1         \n", h.run("cpupool-list", "-c").out());
        }
    }

    private static XlHarness.Result hv(XlHarness h, String... args) {
        HvCommand cmd = new HvCommand(h.sim.hypervisor());
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int s = cmd.run(List.of(args), new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new XlHarness.Result(s, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void hvSwitchesFallsBackAndSetsTheWatchdog() {
        try (XlHarness h = new XlHarness(TWO_NODES)) {
            h.sim.create(DomainConfig.builder("web").vcpus(2).weight(400).platformOptions(Map.of("workload", "cpu")).build());
            h.sim.run(Duration.ofMillis(200));
            XlHarness.Result sw = hv(h, "sched-switch", "Pool-0", "rr-fallback");
            assertEquals(0, sw.status(), sw.err());
            assertTrue(sw.out().matches("cpupool Pool-0: credit -> rr-fallback, paused \\d+\\.\\d us\\n"), sw.out());
            h.sim.run(Duration.ofMillis(200));
            assertEquals(0, hv(h, "sched-switch", "Pool-0", "credit").status());
            assertEquals(400L, h.sim.hypervisor().domainSchedParams(h.sim.hypervisor().findDomain("web").orElseThrow().id()).get("weight"));
            assertEquals("hv: Unknown scheduler \"credit9\" (available: credit)\n", hv(h, "sched-switch", "Pool-0", "credit9").err());
            XlHarness.Result fb = hv(h, "sched-fallback", "Pool-0", "maintenance");
            assertEquals("cpupool Pool-0: now on rr-fallback\n", fb.out());
            assertTrue(String.join("\n", h.sim.hypervisor().readConsole(false)).contains("evicted: forced by the operator: maintenance"));
            assertEquals("cpupool Pool-0: watchdog 5000 ms\n", hv(h, "watchdog", "Pool-0").out());
            assertEquals("cpupool Pool-0: watchdog 250 ms\n", hv(h, "watchdog", "Pool-0", "250").out());
            assertEquals("cpupool Pool-0: watchdog off\n", hv(h, "watchdog", "Pool-0", "off").out());
            assertEquals(2, hv(h, "watchdog", "Pool-0", "soon").status());
            assertEquals("cpupool Pool-0: stall off, hook 250 ms, alloc 256 MiB, rate 100 per pCPU per ms\n", hv(h, "bounds", "Pool-0").out());
            assertEquals("cpupool Pool-0: stall 900 ms, hook 50 ms, alloc off, rate 20 per pCPU per ms\n",
                    hv(h, "bounds", "Pool-0", "stall=900", "hook=50", "alloc=off", "rate=20").out());
            assertEquals(2, hv(h, "bounds", "Pool-0", "hook=-1").status());
            assertEquals(2, hv(h, "bounds", "Pool-0", "speed=3").status());
            assertEquals(3, hv(h, "bounds", "nosuch").status());
            assertEquals("credit\n", hv(h, "schedulers").out());
            assertTrue(hv(h, "sched-dump").out().startsWith("Cpupool Pool-0:\n"));
            assertEquals(2, hv(h).status());
        }
    }
}
