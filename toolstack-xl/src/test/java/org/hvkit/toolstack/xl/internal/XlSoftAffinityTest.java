package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.VcpuInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Soft affinity from xl (Xen 4.5's additions): {@code cpus_soft} in xl.cfg and vcpu-pin's fourth argument. */
class XlSoftAffinityTest {
    @TempDir
    Path dir;

    private String cfg(String body) throws IOException {
        Path p = dir.resolve("d.cfg");
        Files.writeString(p, body);
        return p.toString();
    }

    private static VcpuInfo vcpu(XlHarness h, String name, int v) {
        int id = h.sim.hypervisor().findDomain(name).orElseThrow().id();
        return h.sim.hypervisor().vcpus(id).get(v);
    }

    @Test
    void cpusSoftSetsTheSoftAffinityOfEveryVcpu() throws IOException {
        try (XlHarness h = new XlHarness()) {
            assertEquals(0, h.run("create", cfg("name='s'\nvcpus=2\ncpus='0-2'\ncpus_soft='1,3'\nworkload='cpu'\n")).status());
            assertEquals(CpuMask.of(1, 3), vcpu(h, "s", 1).softAffinity());
            assertEquals(CpuMask.of(0, 1, 2), vcpu(h, "s", 1).hardAffinity());
            assertEquals(0, h.run("create", cfg("name='n'\ncpus_soft=2\nworkload='cpu'\n")).status());
            assertEquals(CpuMask.of(2), vcpu(h, "n", 0).softAffinity(), "a bare number is one cpu, as for cpus");
        }
    }

    @Test
    void aBadCpusSoftIsRefusedWithItsLineAndCreatesNothing() throws IOException {
        try (XlHarness h = new XlHarness()) {
            int before = h.sim.hypervisor().listDomains().size();
            XlHarness.Result list = h.run("create", cfg("name='l'\nworkload='cpu'\ncpus_soft=['1','2']\n"));
            assertEquals(1, list.status());
            assertTrue(list.err().contains(":3: cpus_soft: expected a string"), list.err());
            XlHarness.Result range = h.run("create", cfg("name='r'\ncpus_soft='9'\n"));
            assertEquals(1, range.status());
            assertTrue(range.err().contains("cpus_soft"), range.err());
            assertEquals(before, h.sim.hypervisor().listDomains().size());
        }
    }

    @Test
    void vcpuPinTakesASoftAffinityAndADashForUnchanged() throws IOException {
        try (XlHarness h = new XlHarness()) {
            h.run("create", cfg("name='p'\nvcpus=2\nworkload='cpu'\n"));
            assertEquals(new XlHarness.Result(0, "", ""), h.run("vcpu-pin", "p", "0", "-", "2-3"));
            assertEquals(CpuMask.of(2, 3), vcpu(h, "p", 0).softAffinity());
            assertEquals(CpuMask.firstN(4), vcpu(h, "p", 0).hardAffinity(), "'-' leaves the hard affinity");
            assertEquals(CpuMask.firstN(4), vcpu(h, "p", 1).softAffinity(), "only vCPU 0");
            assertEquals(0, h.run("vcpu-pin", "p", "all", "1", "-").status());
            assertEquals(CpuMask.of(1), vcpu(h, "p", 1).hardAffinity());
            assertEquals(CpuMask.of(2, 3), vcpu(h, "p", 0).softAffinity(), "'-' leaves the soft affinity");
            assertEquals(new XlHarness.Result(0, "soft cpumap: 0-1\n", ""), h.run("-N", "vcpu-pin", "p", "0", "-", "0-1"));
            XlHarness.Result bad = h.run("vcpu-pin", "p", "0", "-", "7");
            assertEquals(1, bad.status());
            assertTrue(bad.err().startsWith("Invalid argument: "), bad.err());
            assertEquals(CpuMask.of(2, 3), vcpu(h, "p", 0).softAffinity(), "nothing changed");
        }
    }
}
