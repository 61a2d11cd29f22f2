package org.hvkit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.p2m.P2m;
import org.hvkit.api.p2m.P2mType;
import org.junit.jupiter.api.Test;

/** The simulated balloon and the p2m agree: frames given back are unbacked, frames taken again are RAM. */
class BalloonP2mTest {
    @Test
    void memSetDownUnpopulatesAndUpRepopulates() {
        try (Simulation s = Simulation.builder().scheduler(new FifoScheduler.Provider()).build()) {
            int d = s.create(DomainConfig.builder("b").vcpus(1).memoryMb(64).platformOptions(Map.of("workload", "cpu")).build()).id();
            P2m p2m = s.hypervisor().p2m(d);
            assertEquals(64L << 8, p2m.counts().backedPages());
            s.hypervisor().setMemoryTarget(d, 24 * 1024);
            s.run(Duration.ofMillis(10));
            assertEquals(24L << 8, p2m.counts().backedPages(), "given back above 24 MiB: " + p2m.counts());
            assertEquals(P2mType.UNBACKED, p2m.type(24L << 8));
            assertEquals(P2mType.RAM, p2m.type((24L << 8) - 1));
            s.hypervisor().setMemoryTarget(d, 48 * 1024);
            s.run(Duration.ofMillis(10));
            assertEquals(48L << 8, p2m.counts().backedPages(), "taken again up to 48 MiB: " + p2m.counts());
            assertEquals(P2mType.RAM, p2m.type((48L << 8) - 1));
            assertEquals(P2mType.UNBACKED, p2m.type(48L << 8));
        }
    }
}
