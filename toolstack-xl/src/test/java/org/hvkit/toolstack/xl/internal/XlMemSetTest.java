package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hvkit.api.platform.HostTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** xl mem-set / mem-max on the simulated machine, whose balloon reaches a target at once: xl list, xl info and the nodes agree. */
class XlMemSetTest {
    @TempDir
    Path dir;

    private String cfg(String body) throws IOException {
        Path p = dir.resolve("m.cfg");
        Files.writeString(p, "name='m'\nworkload='cpu'\n" + body);
        return p.toString();
    }

    private static long mem(XlHarness h) {
        return h.sim.hypervisor().findDomain("m").orElseThrow().memoryMb();
    }

    private static long free(XlHarness h) {
        return h.sim.hypervisor().physInfo().freeMemoryMb();
    }

    @Test
    void theBalloonGivesBackAndTakesAgain() throws IOException {
        try (XlHarness h = new XlHarness()) {
            h.run("create", cfg("memory=1024\nmaxmem=2048\n"));
            long f0 = free(h);
            assertEquals(new XlHarness.Result(0, "", ""), h.run("mem-set", "m", "512"));
            assertEquals(512, mem(h));
            assertEquals(f0 + 512, free(h), "what the guest gave back is free on the host");
            assertEquals("m                                            1   512     1", h.run("list", "m").out().lines().skip(1).findFirst().orElseThrow().substring(0, 58), "xl list shows what the guest holds");
            assertEquals(0, h.run("mem-set", "m", "1536m").status());
            assertEquals(1536, mem(h));
            assertEquals(f0 - 512, free(h));

            assertEquals(new XlHarness.Result(0, "", "libxl: error: libxl.c:3452:libxl_set_memory_target: memory_dynamic_max must be less than or equal to memory_static_max\n\n"), h.run("mem-set", "m", "3g"),
                    "4.2's mem-set does not look at the result");
            assertEquals(1536, mem(h));
            assertEquals(new XlHarness.Result(1, "", "libxl: error: libxl.c:3265:libxl_domain_setmaxmem: memory_static_max must be greater than or or equal to memory_dynamic_max\n\n"
                    + "cannot set domid 1 static max memory to : 1g\n"), h.run("mem-max", "m", "1g"));
            assertEquals(new XlHarness.Result(0, "", ""), h.run("mem-max", "m", "100g"));
            assertEquals(102400, h.sim.hypervisor().findDomain("m").orElseThrow().maxMemoryMb());
            XlHarness.Result tooBig = h.run("mem-set", "m", "90g");
            assertEquals(0, tooBig.status());
            assertEquals(true, tooBig.err().startsWith("libxl: error: libxl.c:3475:libxl_set_memory_target: domain 1 cannot grow to 92160 MiB: only "), tooBig.err());
            assertEquals(1536, mem(h), "nothing changed");
            assertEquals(f0 - 512, free(h));
            assertEquals("libxl: error: libxl.c:3460:libxl_set_memory_target: new target 65536 for dom0 is below the minimum threshold\n\n", h.run("mem-set", "0", "64m").err());
            assertEquals(new XlHarness.Result(3, "", "invalid memory size: lots\n"), h.run("mem-set", "m", "lots"));
        }
    }

    @Test
    void ballooningStaysOnTheDomainsNodes() throws IOException {
        try (XlHarness h = new XlHarness(HostTopology.of(2, 2, 1, 2, 8L << 30))) {
            h.run("create", cfg("memory=1024\nmaxmem=2048\ncpus='2-3'\n"));
            int id = h.sim.hypervisor().findDomain("m").orElseThrow().id();
            assertArrayEquals(new long[] {0, 1024L << 20}, h.sim.hypervisor().domainMemoryPerNode(id));
            h.run("mem-set", "m", "256");
            assertArrayEquals(new long[] {0, 256L << 20}, h.sim.hypervisor().domainMemoryPerNode(id));
            h.run("mem-set", "m", "2048");
            assertArrayEquals(new long[] {0, 2048L << 20}, h.sim.hypervisor().domainMemoryPerNode(id));
        }
    }
}
