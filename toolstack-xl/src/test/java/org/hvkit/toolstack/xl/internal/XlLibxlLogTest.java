package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every libxl line xl prints carries 4.2's FILE:LINE:FUNCTION, as LIBXL__LOG writes it. */
class XlLibxlLogTest {
    /** libxl: LEVEL: FILE.c:LINE:FUNCTION: message. */
    private static final Pattern LINE = Pattern.compile("libxl: (error|warning|notice|detail): [a-z_0-9]+\\.c:[1-9][0-9]*:[A-Za-z_0-9]+: .+");

    @TempDir
    Path dir;

    private static void assertAllSited(XlHarness.Result r, String what) {
        int n = 0;
        for (String l : r.err().split("\n")) {
            if (!l.startsWith("libxl: ")) continue;
            n++;
            assertTrue(LINE.matcher(l).matches(), what + ": " + l);
        }
        assertTrue(n > 0, what + " printed no libxl line: " + r.err());
    }

    @Test
    void refusalsOfEveryKindNameTheirPlaceInLibxl() throws IOException {
        try (XlHarness h = new XlHarness()) {
            Path web = dir.resolve("web.cfg"), bad = dir.resolve("bad.cfg");
            Files.writeString(web, "name='web'\nmemory=512\nvcpus=2\nworkload='cpu'\n");
            Files.writeString(bad, "name='bad'\nmemory=256\nworkload='run fast'\n");
            assertEquals(0, h.run("create", "-q", web.toString()).status());
            assertEquals(0, h.run("cpupool-cpu-remove", "Pool-0", "3").status());
            assertEquals(0, h.run("cpupool-create", "name=p1", "cpus=3").status());
            assertEquals(0, h.run("cpupool-migrate", "web", "p1").status());
            String[][] cases = {
                    {"pause", "0"}, {"cpupool-cpu-remove", "Pool-0", "9"}, {"vcpu-pin", "0", "5", "1"}, {"vcpu-set", "web", "9"}, {"rename", "web", "Domain-0"},
                    {"mem-set", "0", "64m"}, {"mem-set", "web", "3g"}, {"mem-max", "web", "1m"}, {"sched-credit", "-d", "web", "-w", "70000"},
                    {"sched-credit", "-d", "web", "-c", "900"}, {"cpupool-cpu-add", "Pool-0", "9"}, {"cpupool-destroy", "p1"},
                    {"create", "-q", bad.toString()}, {"create", "-q", web.toString()},
            };
            for (String[] c : cases) assertAllSited(h.run(c), String.join(" ", c));
        }
    }

    @Test
    void theSitesAre42s() throws IOException {
        try (XlHarness h = new XlHarness()) {
            Path web = dir.resolve("web.cfg");
            Files.writeString(web, "name='web'\nmemory=512\nvcpus=2\n");
            assertEquals(0, h.run("create", "-q", web.toString()).status());
            assertTrue(h.run("sched-credit", "-d", "web", "-c", "900").err()
                    .startsWith("libxl: error: libxl.c:4080:sched_credit_domain_set: Cpu cap out of range"));
            assertEquals("libxl: error: libxl.c:331:libxl__domain_rename: domain with name \"web\" already exists.\n",
                    h.run("create", "-q", web.toString()).err(), "a second web: libxl__domain_make's rename refuses the name");
            assertTrue(h.run("sched-credit", "-s", "-t", "5000").err().startsWith("libxl: error: libxl.c:4123:libxl_sched_credit_params_set: tslice_ms 5000 out of range"));
            assertTrue(h.run("sched-credit", "-s", "-r", "50").err().startsWith("libxl: error: libxl.c:4131:libxl_sched_credit_params_set: ratelimit_us 50 out of range"));
            assertTrue(h.run("sched-credit", "-s", "-t", "1", "-r", "5000").err().startsWith("libxl: error: libxl.c:4138:libxl_sched_credit_params_set: ratelimit_us (5000) must not exceed"));
            assertTrue(h.run("cpupool-cpu-remove", "Pool-0", "9").err().startsWith("libxl: error: libxl.c:4831:libxl_cpupool_cpuremove: Error removing cpu from cpupool: "));
        }
    }

    /** The class of the problem: no source prints a libxl line by hand without its site. */
    @Test
    void noSourcePrintsALibxlLineWithoutItsSite() throws IOException {
        Pattern literal = Pattern.compile("\"libxl: (error|warning|notice|detail): ([^\"]*)");
        List<String> bare = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("LibxlLog.java")).toList()) {
                String[] lines = Files.readString(f).split("\n");
                for (int i = 0; i < lines.length; i++) {
                    Matcher m = literal.matcher(lines[i]);
                    while (m.find()) if (!m.group(2).matches("[a-z_0-9]+\\.c:[1-9][0-9]*:[A-Za-z_0-9]+: .*")) bare.add(f.getFileName() + ":" + (i + 1));
                }
            }
        }
        assertEquals(List.of(), bare, "libxl lines without FILE:LINE:FUNCTION (use LibxlLog)");
    }
}
