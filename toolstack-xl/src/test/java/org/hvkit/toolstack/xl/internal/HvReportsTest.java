package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hv reports names each key and its unit for the test guests (guests/README.md), by the domain's kernel=. */
class HvReportsTest {
    @TempDir
    Path dir;

    @Test
    void theHeaderHasNameAndUnitAndTheGuestIsKnownByItsKernel() throws Exception {
        try (XlHarness h = new XlHarness()) {
            Path cfg = Files.writeString(dir.resolve("p.cfg"), "name = \"p\"\nmemory = 64\nkernel = \"guests/target/pinger.hvk\"\n");
            assertEquals(0, h.run("create", "-q", cfg.toString()).status());
            int id = h.sim.hypervisor().findDomain("p").orElseThrow().id();
            assertEquals("guests/target/pinger.hvk", h.xl.kernelOf(id));
            assertEquals("pinger", ReportKeys.guestOf(h.xl.kernelOf(id)));
            assertEquals(new ReportKeys.Key("wake_latency", "ns"), ReportKeys.of("pinger", 1));
            assertEquals(new ReportKeys.Key("-", "-"), ReportKeys.of("pinger", 9), "a key the guest does not document");
            assertEquals(new ReportKeys.Key("-", "-"), ReportKeys.of(null, 0), "a guest that is not one of hvkit's");

            HvCommand hv = new HvCommand(h.sim.hypervisor());
            hv.xl = h.xl;
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            assertEquals(0, hv.run(List.of("reports", "p"), new PrintStream(o, true, StandardCharsets.UTF_8), System.err));
            assertEquals(List.of("key", "name", "unit", "count", "last", "min", "mean", "p50", "p99", "max"),
                    List.of(o.toString(StandardCharsets.UTF_8).strip().split("\\s+")), "the simulated guest reports nothing: the header alone");
        }
    }
}
