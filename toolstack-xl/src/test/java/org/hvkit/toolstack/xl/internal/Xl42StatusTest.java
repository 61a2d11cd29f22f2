package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exit statuses and messages of the commands hvkit has, each as its main_* function in 4.2's
 * xl_cmdimpl.c decides them: def_getopt commands ignore operands beyond the ones they read,
 * getopt_long commands note an unknown option and run on, and several failures are only printed.
 */
class Xl42StatusTest {
    @TempDir
    Path dir;

    private static XlHarness.Result ok(String out) {
        return new XlHarness.Result(0, out, "");
    }

    @Test
    void listAndInfoNoteAnUnknownOptionAndRunOn() {
        try (XlHarness h = new XlHarness()) {
            XlHarness.Result list = h.run("list", "-x");
            assertEquals(new XlHarness.Result(0, h.run("list").out(), "option `x' not supported.\n"), list);
            XlHarness.Result info = h.run("info", "-x");
            assertEquals(0, info.status());
            assertEquals("option `x' not supported.\n", info.err());
            assertEquals(0, h.run("info", "extra").status(), "main_info never reads its operands");
        }
    }

    @Test
    void defGetoptCommandsIgnoreOperandsTheyDoNotRead() throws Exception {
        Path cfg = Files.writeString(dir.resolve("w.cfg"), "name = \"w\"\nmemory = 64\n");
        try (XlHarness h = new XlHarness()) {
            assertEquals(0, h.run("create", "-q", cfg.toString()).status());
            assertEquals(ok("0\n"), h.run("domid", "Domain-0", "more"));
            assertEquals(ok("Domain-0\n"), h.run("domname", "0", "more"));
            assertEquals(h.run("vm-list"), h.run("vm-list", "more"));
            assertEquals(h.run("dmesg").status(), h.run("dmesg", "more").status());
            assertEquals(ok(""), h.run("pause", "w", "more"));
            assertEquals(ok(""), h.run("unpause", "w", "more"));
            assertEquals(ok(""), h.run("mem-set", "0", "1024", "more"));
        }
    }

    @Test
    void pauseOnlyShowsWhatLibxlRefusedAndDestroyFailsWith255() {
        try (XlHarness h = new XlHarness()) {
            XlHarness.Result p = h.run("pause", "0");
            assertEquals(0, p.status(), "pause_domain ignores libxl_domain_pause's result");
            assertTrue(p.err().startsWith("libxl: error: libxl.c:807:libxl_domain_pause: "), p.err());
            assertEquals(new XlHarness.Result(255, "", "Cannot destroy privileged domain 0.\n\n"), h.run("destroy", "0", "more"));
        }
    }

    @Test
    void domnameWithoutDigitsIsAnInvalidIdAndAPrefixIsRead() {
        try (XlHarness h = new XlHarness()) {
            assertEquals(new XlHarness.Result(1, "", "Invalid domain id.\n\n"), h.run("domname", "web"));
            assertEquals(ok("Domain-0\n"), h.run("domname", "0x"), "strtol reads the leading 0");
            assertEquals(new XlHarness.Result(1, "", "Can't get domain name of domain id '7', maybe this domain does not exist.\n"),
                    h.run("domname", "7"));
        }
    }

    @Test
    void vcpuPinOnlyPrintsItsFailures() {
        try (XlHarness h = new XlHarness()) {
            assertEquals(new XlHarness.Result(0, "", "Error: Invalid argument.\n"), h.run("vcpu-pin", "0", "x", "1"), "vcpu before domain");
            assertEquals(new XlHarness.Result(0, "", "Error: Invalid argument.\n"), h.run("vcpu-pin", "0", "0", "3-1"));
            assertEquals(new XlHarness.Result(0, "", "Error: Invalid argument.\n"), h.run("vcpu-pin", "0", "0", "a"));
            assertEquals(new XlHarness.Result(0, "", "libxl: error: libxl.c:3946:libxl_set_vcpuaffinity: setting vcpu affinity: No such process\nCould not set affinity for vcpu `5'.\n"), h.run("vcpu-pin", "0", "5", "1"));
            assertEquals(2, h.run("vcpu-pin", "nosuch", "0", "1").status(), "find_domain exits 2");
        }
    }

    @Test
    void vcpuListHelpIsTheHelpOfCpuListAsIn42() {
        try (XlHarness h = new XlHarness()) {
            // main_vcpulist hands "cpu-list" to def_getopt, which no command of the table starts with
            assertEquals(ok("command \"cpu-list\" not implemented\n"), h.run("vcpu-list", "-h"));
            assertEquals(new XlHarness.Result(0, h.run("vcpu-list").out(), "option `z' not supported.\n"), h.run("vcpu-list", "-z"));
        }
    }

    @Test
    void consoleRefusesAnUnknownType() {
        try (XlHarness h = new XlHarness()) {
            assertEquals(new XlHarness.Result(2, "", "console type supported are: pv, serial\n"), h.run("console", "-t", "vga", "0"));
        }
    }

    @Test
    void shutdownHasNoDashHAndWaitSaysTheReasonAs42() throws Exception {
        Path cfg = Files.writeString(dir.resolve("w.cfg"), "name = \"w\"\nmemory = 64\n");
        try (XlHarness h = new XlHarness()) {
            assertEquals(0, h.run("create", "-q", cfg.toString()).status());
            // main_shutdown's getopt_long("wF") has no 'h': it is skipped and the domain is shut down
            XlHarness.Result r = h.run("shutdown", "-h", "-w", "w");
            assertEquals(0, r.status(), r.err());
            assertEquals("", r.out());
            assertTrue(r.err().matches("Domain \\d+ has been (shut down, reason code 0 0|destroyed)\n"), r.err());
        }
    }

    @Test
    void createAs42sMainCreateAndCreateDomain() throws Exception {
        Path cfg = Files.writeString(dir.resolve("c.cfg"), "name = \"c\"\nmemory = 64\n");
        try (XlHarness h = new XlHarness()) {
            assertEquals(new XlHarness.Result(6, "", "Config file not specified and none in save file\n"), h.run("create", "name=\"x\""), "ERROR_INVAL");
            XlHarness.Result two = h.run("create", cfg.toString(), cfg.toString());
            assertEquals(2, two.status());
            assertTrue(two.out().startsWith("Usage: xl [-vfN] create "), two.out());
            assertEquals(new XlHarness.Result(3, "", "Failed to read config file: nosuch.cfg: No such file or directory\n"), h.run("create", "nosuch.cfg"));
            assertEquals(new XlHarness.Result(1, "Parsing config from " + cfg + "\n", "Illegal pool specified\n"), h.run("create", cfg.toString(), "pool=\"nosuch\""));
            assertEquals(new XlHarness.Result(0, "Parsing config from " + cfg + "\n", "option `z' not supported.\n"), h.run("create", "-zF", cfg.toString()));
            // /dev/null is 4.2's empty config: everything from the command line
            assertEquals(new XlHarness.Result(0, "Parsing config from /dev/null\n", ""), h.run("create", "/dev/null", "name=\"n\"", "memory=64"));
            assertTrue(h.sim.hypervisor().findDomain("n").isPresent());
        }
    }

    @Test
    void cpupoolCommandsAs42() throws Exception {
        try (XlHarness h = new XlHarness(org.hvkit.api.platform.HostTopology.of(2, 2, 1, 2, 8L << 30))) {
            assertEquals(new XlHarness.Result(0, h.run("cpupool-list").out(), "option `z' not supported.\n"), h.run("cpupool-list", "-z"));
            XlHarness.Result two = h.run("cpupool-list", "Pool-0", "Pool-0");
            assertEquals(3, two.status(), "-ERROR_FAIL");
            assertTrue(two.out().startsWith("Usage: xl [-v] cpupool-list "), two.out());
            assertEquals(new XlHarness.Result(3, "", "Pool '0' does not exist\n"), h.run("cpupool-list", "0"), "by name only");
            assertEquals(new XlHarness.Result(3, "", "no free cpu found\n"), h.run("cpupool-cpu-add", "Pool-0", "node:-1"), "no cpu is on node -1");
            assertEquals(2, h.run("cpupool-cpu-add", "Pool-0", "-1").status(), "getopt takes -1 for an option: one operand is too few");
            assertEquals(0, h.run("cpupool-cpu-remove", "Pool-0", "3", "more").status());
            assertEquals(new XlHarness.Result(3, "", "no cpu of node found in cpupool\n"), h.run("cpupool-cpu-remove", "Pool-0", "node:7"));
            assertEquals(new XlHarness.Result(3, "", "libxl: error: libxl.c:4786:libxl_cpupool_cpuadd: Error moving cpu to cpupool: Invalid argument\n"), h.run("cpupool-cpu-add", "Pool-0", "9"));
            // no name: libxl_basename of the file, extension kept; nodes= wins over cpus=
            Path f = Files.writeString(dir.resolve("batch.cfg"), "nodes = [\"1\"]\ncpus = [\"0\"]\n");
            XlHarness.Result c = h.run("cpupool-create", f.toString());
            assertEquals(0, c.status(), c.out() + c.err());
            assertEquals("Using config file \"" + f + "\"\ncpupool name:   batch.cfg\nscheduler:      credit\nnumber of cpus: 1\n", c.out());
            assertEquals(0, h.run("cpupool-destroy", "batch.cfg", "more").status());
        }
    }

    @Test
    void schedCommandsPassOverWhatTheyDoNotRead() {
        try (XlHarness h = new XlHarness()) {
            String all = h.run("sched-credit").out();
            // getopt_long with opterr 0 and no default case: unknown options, a missing value and operands are silent
            assertEquals(ok(all), h.run("sched-credit", "-x", "stray", "--nosuch"));
            assertEquals(ok(all), h.run("sched-credit", "-d"), "-d without its value");
            assertEquals(ok(h.run("sched-credit", "-d", "0").out()), h.run("sched-credit", "-zd0"));
            assertEquals(h.run("sched-credit", "-s").out(), h.run("sched-credit", "--schedparam", "x").out());
            assertEquals(ok(""), h.run("sched-credit", "-d", "0", "-w", "300", "more"));
            assertEquals(ok(h.run("sched-credit2").out()), h.run("sched-credit2", "-x", "stray"));
        }
    }
}
