package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.p2m.P2mAccess;
import org.junit.jupiter.api.Test;

class HvP2mTest {
    private static XlHarness.Result hv(XlHarness h, String... args) {
        HvCommand cmd = new HvCommand(h.sim.hypervisor());
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int s = cmd.run(List.of(args), new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new XlHarness.Result(s, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    /** The output has a row with these words, however they are spaced. */
    private static boolean row(String out, String words) {
        return out.lines().anyMatch(l -> String.join(" ", l.strip().split("\\s+")).equals(words));
    }

    @Test
    void showsOrdersTypesAndAccessAndTheSplit() {
        try (XlHarness h = new XlHarness()) {
            h.sim.create(DomainConfig.builder("web").vcpus(1).memoryMb(256).platformOptions(Map.of("workload", "cpu")).build());
            var r = hv(h, "p2m", "web");
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().startsWith("p2m of domain 1 (web): 65536 frames (256 MiB), 65536 backed, default access rwx\n"), r.out());
            assertTrue(row(r.out(), "2M 128 65536"), r.out());
            assertTrue(row(r.out(), "ram_rw 65536"), r.out());
            h.sim.hypervisor().p2m(1).setAccess(0x100, 3, P2mAccess.RX);
            r = hv(h, "p2m", "1");
            assertTrue(row(r.out(), "4K 512 512"), r.out());
            assertTrue(row(r.out(), "2M 127 65024"), r.out());
            assertTrue(row(r.out(), "rx 3"), r.out());
            assertTrue(row(r.out(), "rwx 65533"), r.out());
        }
    }

    @Test
    void unknownDomainAndBadArguments() {
        try (XlHarness h = new XlHarness()) {
            var r = hv(h, "p2m", "nosuch");
            assertEquals(2, r.status());
            assertTrue(r.err().contains("nosuch"), r.err());
            assertEquals(2, hv(h, "p2m").status());
            assertEquals(2, hv(h, "p2m", "0", "extra").status());
        }
    }
}
