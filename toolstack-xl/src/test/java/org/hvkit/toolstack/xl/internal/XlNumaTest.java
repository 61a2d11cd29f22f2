package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.platform.HostTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory from NUMA nodes and 4.2's automatic placement on a simulated host of 4 nodes, 2 pCPUs
 * and 4096 MiB each. Every expectation is worked out by hand from libxl_numa.c / libxl_dom.c and
 * page_alloc.c (see the comments), not read back from the code under test.
 */
class XlNumaTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    private String cfg(String name, String body) throws IOException {
        Path p = dir.resolve(name + ".cfg");
        Files.writeString(p, "name='" + name + "'\nworkload='cpu'\n" + body);
        return p.toString();
    }

    private static XlHarness fourNodes() {
        return new XlHarness(HostTopology.of(4, 2, 1, 4, 16L << 30));
    }

    private static CpuMask hard(XlHarness h, String name) {
        int id = h.sim.hypervisor().findDomain(name).orElseThrow().id();
        return h.sim.hypervisor().vcpus(id).get(0).hardAffinity();
    }

    private static long[] mib(XlHarness h, String name) {
        long[] b = h.sim.hypervisor().domainMemoryPerNode(h.sim.hypervisor().findDomain(name).orElseThrow().id());
        long[] m = new long[b.length];
        for (int i = 0; i < b.length; i++) m[i] = b[i] / MIB;
        return m;
    }

    private static List<String> numaRows(XlHarness h) {
        String out = h.run("info", "-n").out();
        return out.lines().dropWhile(l -> !l.startsWith("node:")).skip(1).limit(4).toList();
    }

    @Test
    void domainsLandWhere42WouldPutThem() throws IOException {
        try (XlHarness h = fourNodes()) {
            // Domain-0 (1024 MiB, affinity everywhere): 2 MiB extents from node 1 on (last_alloc_node starts at 0), round robin
            assertArrayEquals(new long[] {256, 256, 256, 256}, mib(h, "Domain-0"));
            assertEquals(List.of("   0:      4096       3840      10,20,20,20", "   1:      4096       3840      20,10,20,20",
                    "   2:      4096       3840      20,20,10,20", "   3:      4096       3840      20,20,20,10"), numaRows(h));

            // a: 2 vCPUs -> one node suffices; all four have Domain-0's vCPU and 3840 MiB: the first, node 0
            XlHarness.Result a = h.run("-v", "create", cfg("a", "vcpus=2\nmemory=1024\n"));
            assertEquals(0, a.status(), a.err());
            assertTrue(a.err().contains("libxl: detail: libxl_dom.c:191:numa_place_domain: NUMA placement candidate with 1 nodes, 2 cpus and 3840 KB free selected\n"), a.err());
            assertEquals(CpuMask.parse("0-1", 8), hard(h, "a"));
            assertArrayEquals(new long[] {1024, 0, 0, 0}, mib(h, "a"));

            // b: node 0 now has 3 vCPUs (dom0 + a), nodes 1-3 one each with equal free memory: node 1
            XlHarness.Result b = h.run("create", cfg("b", "vcpus=2\nmemory=512\n"));
            assertEquals("", b.err(), "the choice is a DETAIL line, shown only with -v");
            assertEquals(CpuMask.parse("2-3", 8), hard(h, "b"));

            // c: 3 vCPUs need ceil(3/2) = 2 nodes; vCPUs per pair: {0,1} 5, {0,2} 3, {0,3} 3, {1,2} 3, {1,3} 3, {2,3} 1
            h.run("create", cfg("c", "vcpus=3\nmemory=256\n"));
            assertEquals(CpuMask.parse("4-7", 8), hard(h, "c"));
            assertArrayEquals(new long[] {0, 0, 128, 128}, mib(h, "c"), "striped over its node affinity, node 2 first");

            // d: needs 3500 + shadow 29 + 1 MiB, rounded to 2 MiB = 3530 MiB: nodes 0 (2816 free) and 1 (3328) are too small
            // although they hold fewer vCPUs; nodes 2 and 3 tie (4 vCPUs, 3712 MiB): node 2
            h.run("create", cfg("d", "vcpus=1\nmemory=3500\n"));
            assertEquals(CpuMask.parse("4-5", 8), hard(h, "d"));
            assertEquals(List.of("   0:      4096       2816      10,20,20,20", "   1:      4096       3328      20,10,20,20",
                    "   2:      4096        212      20,20,10,20", "   3:      4096       3712      20,20,20,10"), numaRows(h));

            // e: 16 vCPUs cannot fit any set of nodes (8 pCPUs in all): no placement, any cpu
            XlHarness.Result e = h.run("create", cfg("e", "vcpus=16\nmemory=64\n"));
            assertEquals(0, e.status(), e.err());
            assertTrue(e.err().endsWith("libxl: notice: libxl_numa.c:451:libxl__get_numa_candidate: NUMA placement failed, performance might be affected\n"), e.err());
            assertEquals(CpuMask.parse("all", 8), hard(h, "e"));

            // f: cpus= given: no placement; memory from its node, and once node 0 is full from the next node with room
            XlHarness.Result f = h.run("-v", "create", cfg("f", "cpus='0'\nmemory=3000\n"));
            assertEquals("", f.err());
            long[] fm = mib(h, "f");
            assertEquals(3000, fm[0] + fm[1] + fm[2] + fm[3]);
            assertEquals(200, fm[1], "the rest from node 1, the first other node with room");
            assertEquals(2816 - 16, fm[0], "node 0 gives all it has left after a and e (64 MiB over four nodes): " + java.util.Arrays.toString(fm));
        }
    }

    @Test
    void onlyThePoolsNodesAreCandidates() throws IOException {
        try (XlHarness h = fourNodes()) {
            assertEquals(0, h.run("cpupool-cpu-remove", "Pool-0", "node:3").status());
            assertEquals(0, h.run("cpupool-create", "name=\"p3\"", "sched=\"credit\"", "cpus=\"6-7\"").status());
            h.run("create", cfg("x", "vcpus=2\npool='p3'\n"));
            assertEquals(CpuMask.parse("6-7", 8), hard(h, "x"));
            assertArrayEquals(new long[] {0, 0, 0, 32}, mib(h, "x"));
        }
    }

    @Test
    void moreThanSixteenNodesSkipsPlacement() throws IOException {
        try (XlHarness h = new XlHarness(HostTopology.of(17, 1, 1, 17, 17L << 30))) {
            XlHarness.Result r = h.run("create", cfg("big", "vcpus=1\n"));
            assertEquals(0, r.status());
            assertTrue(r.err().contains("libxl: warning: libxl_numa.c:301:libxl__get_numa_candidate: System has 17 NUMA nodes, which is too big for the placement algorithm to work effectively: skipping it. "
                    + "Consider manually pinning the vCPUs and/or looking at cpupools for manually partitioning the system.\n"), r.err());
            assertEquals(CpuMask.parse("all", 17), hard(h, "big"));
        }
    }

    @Test
    void combinationsComeInLexicographicOrder() {
        int[] it = {0, 1};
        StringBuilder seen = new StringBuilder("01");
        while (NumaPlacement.next(it, 4)) seen.append(' ').append(it[0]).append(it[1]);
        assertEquals("01 02 03 12 13 23", seen.toString());
        assertEquals(1059840 + 1024, NumaPlacement.needMemKb(1024, 1024, 2), "1024 MiB + 4*(512+2048) KiB shadow + 1 MiB, to 2 MiB");
    }
}
