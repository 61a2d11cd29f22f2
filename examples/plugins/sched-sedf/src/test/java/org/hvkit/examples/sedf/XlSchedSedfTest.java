package org.hvkit.examples.sedf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.sched.credit1.internal.Credit1Provider;
import org.hvkit.testkit.Simulation;
import org.hvkit.toolstack.xl.internal.XlCommand;
import org.junit.jupiter.api.Test;

/**
 * {@code xl cpupool-create ... sched=sedf} and {@code xl sched-sedf} from hvkit's real toolstack
 * against this plugin, byte for byte as xl 4.2 prints them. (XlCommand is hvkit's implementation,
 * used here on the test class path only; the plugin itself needs the API alone.)
 */
class XlSchedSedfTest {
    record Out(int status, String out, String err) { }

    private static Out xl(XlCommand xl, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int s = xl.run("/", List.of(args), new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Out(s, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void getSetAndListAs42PrintsThem() {
        try (Simulation sim = Simulation.builder().topology(HostTopology.of(1, 4, 1, 1, 8L << 30))
                .scheduler(new Credit1Provider()).scheduler(new SedfProvider()).seed(1).build()) {
            XlCommand xl = new XlCommand(sim.hypervisor());
            assertEquals(0, xl(xl, "cpupool-cpu-remove", "Pool-0", "3").status());
            Out c = xl(xl, "cpupool-create", "name=rt", "sched=sedf", "cpus=3");
            assertEquals(0, c.status(), c.err());
            sim.create(org.hvkit.api.domain.DomainConfig.builder("rtdom").pool("rt").cpus(CpuMask.of(3)).build());
            String header = "Name                                ID Period Slice  Latency Extra Weight\n";
            assertEquals(header + "rtdom                                1    100      0       0     1      0\n", xl(xl, "sched-sedf", "-d", "rtdom").out());

            Out set = xl(xl, "sched-sedf", "-d", "rtdom", "-p", "20", "-s", "5", "-e", "0", "-l", "10");
            assertEquals(0, set.status(), set.err());
            assertEquals("Cpupool rt:\n" + header + "rtdom                                1     20      5      10     0      0\n", xl(xl, "sched-sedf").out());
            assertEquals("Cpupool rt:\n" + header + "rtdom                                1     20      5      10     0      0\n", xl(xl, "sched-sedf", "-c", "rt").out());

            Out bad = xl(xl, "sched-sedf", "-d", "rtdom", "-s", "30");
            assertEquals(3, bad.status());
            assertEquals("libxl: error: libxl.c:4267:sched_sedf_domain_set: setting domain sched sedf: Invalid argument\n"
                    + "libxl_domain_sched_params_set failed.\n", bad.err());

            Out both = xl(xl, "sched-sedf", "-d", "rtdom", "-w", "2", "-p", "30");
            assertEquals("Specifying a weight AND period or slice is not allowed.\n", both.err(), "4.2 warns and goes on: the weight wins");
            assertEquals(header + "rtdom                                1    100     95      10     0      2\n", xl(xl, "sched-sedf", "-d", "rtdom").out());

            assertEquals("Specifying a cpupool is not allowed with other options.\n", xl(xl, "sched-sedf", "-c", "rt", "-d", "rtdom").err());
            assertEquals("Must specify a domain.\n", xl(xl, "sched-sedf", "-p", "10").err());
            Out credit = xl(xl, "sched-sedf", "-d", "Domain-0");
            assertEquals(header, credit.out());
            assertEquals("libxl_domain_sched_params_get returned credit not sedf.\n", credit.err());
            assertEquals(6, credit.status());
        }
    }
}
