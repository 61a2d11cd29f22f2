package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * glibc getopt as 4.2's xl runs it ({@code opterr = 0}): "--" ends the options and is no operand,
 * long options may be abbreviated to an unambiguous prefix, an ambiguous one is refused silently
 * by getopt and noted by the commands that have a default case.
 */
class XlGetoptTest {
    @TempDir
    Path dir;

    private XlHarness withWeb(XlHarness h) throws IOException {
        Path p = dir.resolve("web.cfg");
        Files.writeString(p, "name='web'\nmemory=512\nvcpus=2\nworkload='cpu'\n");
        assertEquals(0, h.run("create", "-q", p.toString()).status());
        return h;
    }

    @Test
    void doubleDashIsNoOperandOfAnyDefGetoptCommand() {
        for (var e : DefGetopt.SPECS.entrySet()) {
            List<String> args = new ArrayList<>(List.of("--"));
            for (int i = 0; i < e.getValue().reqargs(); i++) args.add("x" + i);
            DefGetopt.Result r = DefGetopt.check(e.getKey(), args);
            assertEquals(DefGetopt.Verdict.RUN, r.verdict(), e.getKey());
            assertEquals(args.subList(1, args.size()), r.args(), e.getKey() + ": the operands, without the --");
            // before an operand's shortage is judged, "--" counts as none
            if (e.getValue().reqargs() > 0) assertEquals(DefGetopt.Verdict.TOO_FEW, DefGetopt.check(e.getKey(), List.of("--")).verdict(), e.getKey());
        }
    }

    @Test
    void optionsComeFirstAsGetoptPermutesThem() {
        // xl migrate DOMAIN -C FILE HOST: argv after getopt is -C FILE, then DOMAIN HOST; -- after an operand is dropped too
        assertEquals(List.of("-C", "f.cfg", "-e", "web", "host"), DefGetopt.check("migrate", List.of("web", "-Cf.cfg", "host", "-e")).args());
        assertEquals(List.of("-F", "-d", "--", "web", "-e"), DefGetopt.check("migrate", List.of("-Fd", "web", "--", "-e")).args());
        assertEquals(List.of("-t", "pv", "web"), DefGetopt.check("console", List.of("web", "-tpv")).args());
    }

    @Test
    void anOperandThatLooksLikeAnOptionStaysAnOperand() throws IOException {
        // for a command with options, one "--" goes before such operands; without options there is nothing to mistake
        assertEquals(List.of("-t", "pv", "--", "-x"), DefGetopt.check("console", List.of("-tpv", "--", "-x")).args());
        assertEquals(List.of("-x"), DefGetopt.check("destroy", List.of("--", "-x")).args());
        try (XlHarness h = withWeb(new XlHarness())) {
            // 4.2: find_domain("-s"), an invalid identifier, not uptime's -s
            assertEquals(new XlHarness.Result(2, "", "-s is an invalid domain identifier (rc=-6)\n"), h.run("uptime", "--", "-s"));
            assertEquals(new XlHarness.Result(2, "", "-t is an invalid domain identifier (rc=-6)\n"), h.run("console", "--", "-t"));
            assertEquals(new XlHarness.Result(2, "", "-c is an invalid domain identifier (rc=-6)\n"), h.run("save", "--", "-c", "f"));
            assertEquals(new XlHarness.Result(2, "", "-d is an invalid domain identifier (rc=-6)\n"), h.run("migrate", "--", "-d", "host"));
            assertEquals(new XlHarness.Result(2, "", "-x is an invalid domain identifier (rc=-6)\n"), h.run("destroy", "--", "-x"));
            assertEquals(new XlHarness.Result(0, "web\n", ""), h.run("domname", "--", "1"));
        }
    }

    @Test
    void destroyPauseAndTheRestTakeTheOperandAfterDoubleDash() throws IOException {
        try (XlHarness h = withWeb(new XlHarness())) {
            assertEquals(new XlHarness.Result(0, "1\n", ""), h.run("domid", "--", "web"));
            assertEquals(new XlHarness.Result(0, "1\n", ""), h.run("domid", "web", "--"));
            assertEquals(new XlHarness.Result(0, "web\n", ""), h.run("domname", "--", "1"));
            assertEquals(0, h.run("pause", "--", "web").status());
            assertEquals(0, h.run("unpause", "--", "web").status());
            assertEquals(0, h.run("mem-set", "--", "web", "256").status());
            assertEquals(0, h.run("rename", "--", "web", "www").status());
            assertEquals(0, h.run("vcpu-pin", "--", "www", "0", "1").status());
            XlHarness.Result few = h.run("destroy", "--");
            assertEquals(2, few.status());
            assertTrue(few.err().startsWith("'xl destroy' requires at least 1 argument.\n\n"), few.err());
            assertEquals(new XlHarness.Result(0, "", ""), h.run("destroy", "--", "www"));
            assertTrue(h.sim.hypervisor().findDomain("www").isEmpty(), "destroyed");
        }
    }

    @Test
    void getoptLongCommandsEndTheirOptionsAtDoubleDashToo() throws IOException {
        try (XlHarness h = withWeb(new XlHarness())) {
            assertEquals(h.run("list", "web"), h.run("list", "--", "web"));
            assertEquals(new XlHarness.Result(2, "", "-l is an invalid domain identifier (rc=-6)\n"), h.run("list", "--", "-l"));
            assertEquals("", h.run("info", "--").err());
            assertEquals(h.run("cpupool-list", "Pool-0"), h.run("cpupool-list", "--", "Pool-0"));
            Path db = dir.resolve("db.cfg");
            Files.writeString(db, "name='db'\nmemory=256\n");
            assertEquals(new XlHarness.Result(0, "", ""), h.run("create", "-q", "--", db.toString(), "vcpus=2"));
            assertEquals(2, h.sim.hypervisor().vcpus(h.sim.hypervisor().findDomain("db").orElseThrow().id()).size(), "vcpus=2 after -- is still a setting");
        }
    }

    @Test
    void longOptionsResolveToTheirLetter() {
        assertEquals(List.of("-d", "web", "-w", "256"), LongOpts.resolve("sched-credit", List.of("-d", "web", "--wei=256")));
        assertEquals(List.of("-s", "-p", "Pool-0"), LongOpts.resolve("sched-credit", List.of("-s", "--cpup", "Pool-0")));
        // the value of -d is not an option, nor anything after "--"
        assertEquals(List.of("-d", "--wei", "--", "--cap"), LongOpts.resolve("sched-credit", List.of("-d", "--wei", "--", "--cap")));
        // cap and cpupool: ambiguous; tslice_ms alone starts with t
        assertEquals(List.of("--\0", "-t", "5"), LongOpts.resolve("sched-credit", List.of("--c=5", "--t", "5")));
        // an exact name wins over the longer one it prefixes: --vncviewer is V, --vnc is ambiguous
        assertEquals(List.of("-V", "--\0"), LongOpts.resolve("create", List.of("--vncviewer", "--vnc")));
        // vncviewer's two names for 'a' are one option, no ambiguity
        assertEquals(List.of("-a"), LongOpts.resolve("vncviewer", List.of("--vnc")));
        // a flag given a value and a valued option at the end: refused with the option's letter
        assertEquals(List.of("--q", "--f"), LongOpts.resolve("create", List.of("--quiet=1", "--def")));
        // 4.2's sched-sedf has no --domain
        assertEquals(List.of("--\0", "web"), LongOpts.resolve("sched-sedf", List.of("--domain", "web")));
        assertEquals(List.of("--x"), LongOpts.resolve("destroy", List.of("--x")), "no long options: untouched");
    }

    @Test
    void schedCreditTakesAbbreviations() throws IOException {
        try (XlHarness h = withWeb(new XlHarness())) {
            assertEquals(0, h.run("sched-credit", "--dom", "web", "--wei=384", "--ca", "20").status());
            assertTrue(h.run("sched-credit", "-d", "web").out().endsWith("web                                  1    384   20\n"));
            assertEquals(new XlHarness.Result(0, "Cpupool Pool-0: tslice=30ms ratelimit=1000us\n", ""), h.run("sched-credit", "--sch", "--cpup=Pool-0"));
            // --c is cap or cpupool: getopt refuses it silently and sched-credit has no default case
            XlHarness.Result amb = h.run("sched-credit", "-d", "web", "--c=5");
            assertEquals(new XlHarness.Result(0, "Name                                ID Weight  Cap\nweb                                  1    384   20\n", ""), amb);
            XlHarness.Result help = h.run("sched-credit", "--he");
            assertEquals(0, help.status());
            assertEquals(h.run("help", "sched-credit").out(), help.out());
        }
    }

    @Test
    void otherLongOptionCommandsTakeAbbreviations() throws IOException {
        try (XlHarness h = withWeb(new XlHarness())) {
            assertTrue(h.run("list", "--lo").out().startsWith("[\n"), "list --lo is list -l (JSON)");
            assertEquals(h.run("list", "-v").out(), h.run("list", "--verb").out());
            assertEquals(h.run("info", "-n").out(), h.run("info", "--nu").out());
            assertEquals(h.run("cpupool-list", "-c").out(), h.run("cpupool-list", "--cp").out());
            Path db = dir.resolve("db.cfg");
            Files.writeString(db, "name='db'\nmemory=256\n");
            XlHarness.Result dry = h.run("create", "--dry", "--qu", "--defc=" + db);
            assertEquals(0, dry.status());
            assertTrue(dry.out().contains("\"name\": \"db\""), dry.out());
            assertFalse(dry.out().contains("Parsing config"), "--qu is --quiet");
            assertTrue(h.sim.hypervisor().findDomain("db").isEmpty(), "--dry is a dry run");
            // create notes what getopt refused: NUL for an ambiguous or unknown name, the letter for a flag given a value
            XlHarness.Result noted = h.run("create", "--vnc", "--nosuch=1", "--quiet=1", "-n", db.toString());
            assertTrue(noted.err().startsWith("option `\0' not supported.\noption `\0' not supported.\noption `q' not supported.\n"), noted.err());
        }
    }
}
