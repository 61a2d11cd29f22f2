package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import org.hvkit.api.platform.HostTopology;
import org.hvkit.sched.credit2.internal.Credit2Provider;
import org.junit.jupiter.api.Test;

/** sched-credit/-credit2 name pools as xl 4.2 does: no -p is pool id 0, all digits is an id. */
class SchedPoolQualifierTest {
    private static final HostTopology TWO_NODES = HostTopology.of(2, 2, 1, 2, 8L << 30);

    @Test
    void schedparamWithoutPoolIsPoolIdZeroAfterNumaSplit() {
        try (XlHarness h = new XlHarness(TWO_NODES)) {
            assertEquals(0, h.run("cpupool-numa-split").status());
            XlHarness.Result r = h.run("sched-credit", "-s");
            assertEquals("", r.err());
            assertEquals("Cpupool Pool-node0: tslice=30ms ratelimit=1000us\n", r.out());
            assertEquals(0, h.run("sched-credit", "-s", "-t", "10").status());
            assertEquals("Cpupool Pool-node0: tslice=10ms ratelimit=1000us\n", h.run("sched-credit", "-s", "-p", "0").out());
            assertEquals("Cpupool Pool-node1: tslice=30ms ratelimit=1000us\n", h.run("sched-credit", "-s", "-p", "1").out());
        }
    }

    @Test
    void allDigitsIsAnIdNeverAName() {
        try (XlHarness h = new XlHarness(TWO_NODES)) {
            assertEquals(0, h.run("cpupool-cpu-remove", "Pool-0", "3").status());
            assertEquals(0, h.run("cpupool-create", "name=\"7\"", "cpus=[\"3\"]").status());
            assertEquals("Cpupool 7: tslice=30ms ratelimit=1000us\n", h.run("sched-credit", "-s", "-p", "1").out());
            XlHarness.Result r = h.run("sched-credit", "-s", "-p", "7");
            assertEquals("unknown cpupool '7'\n", r.err(), "pool 7 is an id and there is no pool with id 7");
            assertEquals(3, r.status(), "-ERROR_FAIL");
        }
    }

    @Test
    void unknownPoolStatuses() {
        try (XlHarness h = new XlHarness(TWO_NODES, new Credit2Provider())) {
            XlHarness.Result s = h.run("sched-credit", "-s", "-p", "nosuch");
            assertEquals("unknown cpupool 'nosuch'\n", s.err());
            assertEquals(3, s.status());
            // the listing paths return -sched_domain_output() = -3: exit status 253
            XlHarness.Result l = h.run("sched-credit", "-p", "nosuch");
            assertEquals("unknown cpupool 'nosuch'\n", l.err());
            assertEquals(253, l.status());
            XlHarness.Result c2 = h.run("sched-credit2", "-p", "9");
            assertEquals("unknown cpupool '9'\n", c2.err());
            assertEquals(253, c2.status());
            assertEquals("Cpupool Pool-0: tslice=30ms ratelimit=1000us\n"
                    + "Name                                ID Weight  Cap\nDomain-0                             0    256    0\n",
                    h.run("sched-credit", "-p", "0").out());
        }
    }
}
