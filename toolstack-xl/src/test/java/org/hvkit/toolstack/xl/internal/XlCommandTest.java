package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** xl against the real core on a fixed simulated host: golden output and error paths. */
class XlCommandTest {
    @TempDir
    Path dir;

    private String cfg(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, body);
        return p.toString();
    }

    @Test
    void createListAndVcpuListAreByteExact() throws IOException {
        try (XlHarness h = new XlHarness()) {
            String web = cfg("web.cfg", "name = \"web\"\nmemory = 512\nvcpus = 2\ncpus = \"1-2\"\ncpu_weight = 512\nworkload = \"cpu\"\n");
            XlHarness.Result c = h.run("create", web);
            assertEquals(0, c.status(), c.err());
            assertEquals(new XlHarness.Result(0, "Parsing config from " + web + "\n", ""), c, "4.2 prints it on stdout");
            h.sim.run(Duration.ofMillis(1500));
            XlHarness.Result l = h.run("list");
            assertEquals(0, l.status());
            assertEquals("Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
                    + "Domain-0                                     0  1024     1     -b----       0.0\n"
                    + "web                                          1   512     2     r-----       3.0\n", l.out());
            XlHarness.Result v = h.run("vcpu-list", "web");
            assertEquals("Name                                ID  VCPU   CPU State   Time(s) CPU Affinity\n"
                    + "web                                  1     0    1   r--       1.5  1-2\n"
                    + "web                                  1     1    2   r--       1.5  1-2\n", v.out());
            XlHarness.Result v0 = h.run("vcpu-list", "Domain-0");
            assertEquals("Name                                ID  VCPU   CPU State   Time(s) CPU Affinity\n"
                    + "Domain-0                             0     0    0   -b-       0.0  any cpu\n", v0.out());
        }
    }

    @Test
    void pauseUnpauseShutdownDestroy() throws IOException {
        try (XlHarness h = new XlHarness()) {
            h.run("create", cfg("a.cfg", "name='a'\nworkload='cpu'\non_poweroff='preserve'\n"));
            assertEquals(0, h.run("pause", "a").status());
            assertTrue(h.run("list", "a").out().contains("--p---"));
            assertEquals(0, h.run("unpause", "1").status());
            assertEquals(0, h.run("shutdown", "a").status());
            assertTrue(h.run("list", "a").out().contains("---s--"), h.run("list").out());
            assertEquals(0, h.run("destroy", "a").status());
            assertEquals(1, h.sim.hypervisor().listDomains().size());
            XlHarness.Result d0 = h.run("destroy", "0");
            assertEquals(255, d0.status());
            assertEquals("Cannot destroy privileged domain 0.\n\n", d0.err());
        }
    }

    @Test
    void unknownDomainIsXensMessageAndStatus2() {
        try (XlHarness h = new XlHarness()) {
            for (String cmd : new String[] {"destroy", "pause", "unpause", "shutdown", "list", "vcpu-list"}) {
                XlHarness.Result r = h.run(cmd, "nosuch");
                assertEquals(2, r.status(), cmd);
                assertEquals("nosuch is an invalid domain identifier (rc=-6)\n", r.err(), cmd);
            }
            XlHarness.Result r = h.run("sched-credit", "-d", "nosuch", "-w", "300");
            assertEquals(2, r.status());
            assertEquals("nosuch is an invalid domain identifier (rc=-6)\n", r.err());
        }
    }

    @Test
    void schedCreditListsSetsAndRefusesOutOfRange() throws IOException {
        try (XlHarness h = new XlHarness()) {
            h.run("create", cfg("w.cfg", "name = \"web\"\ncpu_weight = 512\ncap = 50\nworkload = \"cpu\"\n"));
            assertEquals("Cpupool Pool-0: tslice=30ms ratelimit=1000us\n"
                    + "Name                                ID Weight  Cap\n"
                    + "Domain-0                             0    256    0\n"
                    + "web                                  1    512   50\n", h.run("sched-credit").out());
            assertEquals("Name                                ID Weight  Cap\n"
                    + "web                                  1    512   50\n", h.run("sched-credit", "-d", "web").out());
            XlHarness.Result bad = h.run("sched-credit", "-d", "web", "-w", "70000");
            assertEquals(1, bad.status());
            assertEquals("libxl: error: libxl.c:4070:sched_credit_domain_set: Cpu weight out of range, valid values are within range from 1 to 65535\n"
                    + "libxl_domain_sched_params_set failed.\n", bad.err());
            assertTrue(h.run("sched-credit", "-d", "web").out().contains(" 512   50"), "nothing changed");
            assertEquals(0, h.run("sched-credit", "-d", "web", "--weight=128", "-c", "0").status());
            assertTrue(h.run("sched-credit", "-d", "web").out().endsWith("web                                  1    128    0\n"));
            assertEquals("Must specify a domain.\n", h.run("sched-credit", "-w", "5").err());
            assertEquals("Specifying a cpupool or schedparam is not allowed with domain options.\n", h.run("sched-credit", "-s", "-d", "web").err());
            assertEquals("Must specify schedparam to set schedule parameter values.\n", h.run("sched-credit", "-t", "10").err());
            assertEquals("Cpupool Pool-0: tslice=30ms ratelimit=1000us\n", h.run("sched-credit", "-s").out());
            assertEquals(0, h.run("sched-credit", "-s", "-t", "10", "-r", "500").status());
            assertEquals("Cpupool Pool-0: tslice=10ms ratelimit=500us\n", h.run("sched-credit", "-s", "-p", "Pool-0").out());
            assertEquals(1, h.run("sched-credit", "-s", "-t", "5000").status());
        }
    }

    @Test
    void malformedConfigCreatesNothing() throws IOException {
        try (XlHarness h = new XlHarness()) {
            String f = cfg("bad.cfg", "name = \"bad\"\nmemory = 512 +\n");
            XlHarness.Result r = h.run("create", f);
            assertEquals(1, r.status());
            assertEquals("Parsing config from " + f + "\n", r.out());
            assertEquals(f + ":2:14: config parsing error near `+': lexical error: " + XlCfgParser.PYTHON + "\n"
                    + "warning: Config file looks like it contains Python code.\n"
                    + "warning:  Arbitrary Python is no longer supported.\n"
                    + "warning:  See http://wiki.xen.org/wiki/PythonInXlConfig\n"
                    + "Failed to parse config: Invalid argument\n", r.err());
            assertEquals(1, h.sim.hypervisor().listDomains().size());
            XlHarness.Result noName = h.run("create", cfg("n.cfg", "memory = 64\n"));
            assertEquals(1, noName.status());
            assertTrue(noName.err().endsWith("Domain name must be specified.\n"));
            XlHarness.Result badWorkload = h.run("create", cfg("w.cfg", "name='w'\nworkload='run fast'\n"));
            assertEquals(3, badWorkload.status());
            assertTrue(badWorkload.err().contains("libxl: error: libxl_create.c:437:libxl__domain_make: workload \"run fast\", phase 1: bad duration 'fast'"), badWorkload.err());
            XlHarness.Result badWeight = h.run("create", cfg("x.cfg", "name='x'\ncpu_weight=0\n"));
            assertEquals(3, badWeight.status());
            assertTrue(badWeight.err().contains("Cpu weight out of range"), badWeight.err());
            assertEquals(1, h.sim.hypervisor().listDomains().size(), "nothing half-created");
            assertEquals(3, h.run("create", dir.resolve("missing.cfg").toString()).status(), "create_domain's ERROR_FAIL");
        }
    }

    @Test
    void commandLineOverridesWinAndUnknownKeysWarn() throws IOException {
        try (XlHarness h = new XlHarness()) {
            XlHarness.Result r = h.run("create", cfg("o.cfg", "name='o'\nvcpus=1\nvif=['bridge=xenbr0']\nworkload='cpu'\n"), "vcpus=3", "-p");
            assertEquals(0, r.status(), r.err());
            assertTrue(r.err().contains("warning: "), r.err());
            assertTrue(r.err().contains(":3: 'vif' parsed, but hvkit cannot give domains virtual devices yet; ignored"), r.err());
            var d = h.sim.hypervisor().findDomain("o").orElseThrow();
            assertEquals(3, d.onlineVcpus());
            assertTrue(d.paused());
        }
    }

    @Test
    void infoHasXensFieldsInOrder() {
        try (XlHarness h = new XlHarness()) {
            String out = h.run("info").out();
            String[] keys = out.lines().map(l -> l.substring(0, 23).strip()).toArray(String[]::new);
            assertArrayEquals(new String[] {"host", "release", "version", "machine", "nr_cpus", "max_cpu_id", "nr_nodes", "cores_per_socket",
                "threads_per_core", "cpu_mhz", "hw_caps", "virt_caps", "total_memory", "free_memory", "sharing_freed_memory",
                "sharing_used_memory", "free_cpus", "xen_major", "xen_minor", "xen_extra", "xen_caps", "xen_scheduler", "xen_pagesize",
                "platform_params", "xen_changeset", "xen_commandline", "cc_compiler", "cc_compile_by", "cc_compile_domain",
                "cc_compile_date", "xend_config_format", "hvkit_platform"}, keys);
            assertTrue(out.contains("nr_cpus                : 4\n"));
            assertTrue(out.contains("total_memory           : 8192\n"));
            assertTrue(out.contains("free_memory            : 7168\n"));
            assertTrue(out.contains("xen_scheduler          : credit\n"));
            assertTrue(out.contains("hw_caps                : bfebfbff:2c100800:00000000:00000000:1fbee3ff:00000000:00000001:00000000\n"));
            assertTrue(out.contains("virt_caps              : hvm\n"), "the simulated Xeon has VT-x");
        }
    }

    @Test
    void infoDescribesA4096PcpuHost() {
        try (XlHarness h = new XlHarness(org.hvkit.api.platform.HostTopology.of(64, 32, 2, 16, 4L << 40))) {
            String out = h.run("info").out();
            assertTrue(out.contains("nr_cpus                : 4096\n"), out);
            assertTrue(out.contains("max_cpu_id             : 4095\n"));
            assertTrue(out.contains("nr_nodes               : 16\n"));
            assertTrue(out.contains("cores_per_socket       : 32\n"));
            assertTrue(out.contains("threads_per_core       : 2\n"));
            assertTrue(out.contains("total_memory           : 4194304\n"));
            assertTrue(out.contains("free_cpus              : 0\n"));
            assertEquals(0, h.run("create", "-q", "/dev/null").status() == 0 ? 1 : 0, "an empty config has no name");
            String numa = h.run("info", "-n").out();
            java.util.List<String> cpuRows = numa.lines().filter(l -> l.matches(" *\\d+:    +\\d+ +\\d+ +\\d+")).toList();
            assertEquals(4096, cpuRows.size(), "one cpu_topology row per pCPU");
            assertTrue(numa.contains("\n  0:       0        0        0\n"), "cpu 0: core 0 of socket 0, node 0");
            assertTrue(numa.contains("\n 65:       0        1        0\n"), "cpu 65: thread 1 of core 0 of socket 1, node 0 (4 sockets per node)");
            assertTrue(numa.contains("\n4095:      31       63       15\n"), "the last cpu: core 31 of socket 63, node 15");
            java.util.List<String> nodeRows = numa.lines().filter(l -> l.matches(" *\\d+:    +262144 +\\d+      10(,20)+|.*:    +262144 +\\d+      (20,)+10(,20)*")).toList();
            assertEquals(16, nodeRows.size(), "16 nodes of 256 GiB with SLIT distances 10 local, 20 remote: " + nodeRows);
        }
    }

    @Test
    void consoleFollowsUntilTheGuestShutsDown() throws IOException {
        try (XlHarness h = new XlHarness()) {
            h.run("create", cfg("c.cfg", "name='c'\nworkload='idle'\non_poweroff='preserve'\n"));
            h.run("shutdown", "c");
            XlHarness.Result r = h.run("console", "c");
            assertEquals(0, r.status(), r.err());
            assertEquals("", r.out(), "a simulated guest writes nothing to its console");
            assertEquals(2, h.run("console", "nosuch").status());
            assertEquals(2, h.run("console").status());
        }
    }

    @Test
    void dmesgShowsAndClearsTheRing() {
        try (XlHarness h = new XlHarness()) {
            String ring = h.run("dmesg").out();
            assertTrue(ring.startsWith("(XEN) hvkit core: platform sim"), ring);
            assertEquals(0, h.run("dmesg", "-c").status());
            assertEquals("", h.run("dmesg").out());
        }
    }

    @Test
    void noArgumentsOrUnknownCommand() {
        try (XlHarness h = new XlHarness()) {
            XlHarness.Result none = h.run();
            assertEquals(1, none.status(), "xl.c: help(NULL); exit(1)");
            assertEquals("", none.err());
            assertTrue(none.out().startsWith("Usage xl [-vfN] <subcommand> [args]\n\nxl full list of subcommands:\n\n"));
            XlHarness.Result unknown = h.run("frobnicate");
            assertEquals(1, unknown.status(), "xl 4.2 exits 1 for an unknown subcommand");
            assertEquals("command not implemented\n", unknown.err());
            assertTrue(h.run("help", "sched-credit").out().startsWith("Usage: xl [-vf] sched-credit "));
        }
    }

    @Test
    void listVerboseAddsUuidReasonAndLabel() throws IOException {
        try (XlHarness h = new XlHarness()) {
            h.run("create", cfg("a.cfg", "name='a'\nworkload='idle'\non_poweroff='preserve'\n"));
            assertEquals(0, h.run("shutdown", "a").status());
            XlHarness.Result r = h.run("list", "-v");
            assertEquals(0, r.status(), r.err());
            String[] lines = r.out().split("\n");
            assertEquals("Name                                        ID   Mem VCPUs\tState\tTime(s)"
                    + "   UUID                            Reason-Code\tSecurity Label", lines[0]);
            var dom0 = h.sim.hypervisor().domain(0).orElseThrow();
            var a = h.sim.hypervisor().findDomain("a").orElseThrow();
            assertEquals(Formats.listRow(dom0) + " " + dom0.uuid() + "        -  -", lines[1]);
            assertEquals(Formats.listRow(a) + " " + a.uuid() + "        0  -", lines[2], "poweroff is reason 0, in %8x; two spaces before the label");
            assertEquals(3, lines.length);
        }
    }

    @Test
    void quietCreatePrintsNothing() throws IOException {
        try (XlHarness h = new XlHarness()) {
            XlHarness.Result r = h.run("create", "-q", cfg("q.cfg", "name='q'\n"));
            assertEquals(0, r.status(), r.err());
            assertEquals("", r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void pythonHintOnlyForPythonLookingText() throws IOException {
        try (XlHarness h = new XlHarness()) {
            String f = cfg("u.cfg", "name = 'x\n");
            XlHarness.Result r = h.run("create", f);
            assertEquals(1, r.status());
            assertEquals("Parsing config from " + f + "\n", r.out());
            assertEquals(f + ":1:8: config parsing error near `'x': lexical error: unterminated string (no closing ' on this line)\n"
                    + "Failed to parse config: Invalid argument\n", r.err());
            assertEquals(1, h.sim.hypervisor().listDomains().size());
        }
    }

    @Test
    void shippedExamplesAreAccepted() {
        // on the default simulated host (2 nodes of 8 pCPUs), where NUMA placement finds a node for both
        try (XlHarness h = new XlHarness(org.hvkit.api.platform.HostTopology.of(2, 4, 2, 2, 64L << 30))) {
            for (String name : new String[] {"web", "db"}) {
                Path f = Path.of("..", "examples", name + ".cfg");
                XlHarness.Result r = h.run("create", f.toString());
                assertEquals(0, r.status(), r.err());
                assertEquals(new XlHarness.Result(0, "Parsing config from " + f + "\n", ""), r, "no warnings");
                assertTrue(h.sim.hypervisor().findDomain(name).isPresent());
            }
        }
    }
}
