package org.hvkit.example.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.memaccess.internal.MemAccessService;
import org.hvkit.sched.credit1.internal.Credit1Provider;
import org.hvkit.testkit.Simulation;
import org.junit.jupiter.api.Test;

/** The detector with the real memory access service on the real simulated machine. */
class InjectionDetectorTest {
    private static int create(Simulation sim, String name, String workload) {
        return sim.create(DomainConfig.builder(name).vcpus(1).memoryMb(32).platformOptions(Map.of("workload", workload)).build()).id();
    }

    private static void run(Simulation sim, InjectionDetector det, int ms) {
        for (int i = 0; i < ms; i++) {
            if (i % 10 == 0) det.scan();
            sim.run(Duration.ofMillis(1));
            try {
                Thread.sleep(1); // the listeners answer on their own threads
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void flagsAPageWrittenThenExecutedAndNothingElse() {
        try (Simulation sim = Simulation.builder().scheduler(new Credit1Provider()).seed(5).build();
                MemAccessService ma = new MemAccessService(sim.platform(), 1_000_000_000L)) {
            // a stager: copies code into a data page, then jumps to it
            int inject = create(sim, "inject", "run 200us touch w 0x40000-0x40fff every 10us; run 100us touch x 0x40000-0x40fff every 10us; sleep 1ms");
            // the others write data and execute code, but never code they wrote
            int writer = create(sim, "writer", "run 1ms touch w 0x100000-0x17ffff every 2us; run 200us touch x 0x1000-0x3fff; sleep 1ms");
            int burn = create(sim, "burn", "cpu");
            int pinger = create(sim, "pinger", "run 50us touch x 0x1000-0x1fff; run 20us touch r 0x8000-0x8fff; sleep 2ms");
            InjectionDetector det = new InjectionDetector(ma, sim.hypervisor(), Map.of("pause", "true"));
            try {
                run(sim, det, 300);
                assertTrue(det.flagged(inject), "inject flagged");
                assertFalse(det.flagged(writer));
                assertFalse(det.flagged(burn));
                assertFalse(det.flagged(pinger));
                String dmesg = String.join("\n", sim.hypervisor().readConsole(false));
                assertTrue(dmesg.contains("injection-detector: d" + inject + " (inject) executes gfn 40 (offset 0, vcpu 0) which it wrote: code injection; domain paused"), dmesg);
                assertEquals(1, dmesg.lines().filter(l -> l.contains("code injection")).count(), dmesg);
                assertTrue(sim.hypervisor().domain(inject).orElseThrow().paused(), "paused by configuration");
                assertFalse(sim.hypervisor().domain(writer).orElseThrow().paused());
            } finally {
                det.stop();
            }
            // stopping restored every page
            assertEquals(0, sim.hypervisor().p2m(writer).counts().pagesByAccess().get(org.hvkit.api.p2m.P2mAccess.RX));
        }
    }
}
