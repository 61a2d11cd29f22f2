package org.hvkit.example.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.testkit.memaccess.ListenerRig;
import org.junit.jupiter.api.Test;

/** The detector with the real mem-access bundle's service on the real simulated machine (hvkit's memory access kit). */
class InjectionDetectorTest {
    private static void run(ListenerRig rig, InjectionDetector det, int ms) {
        for (int i = 0; i < ms; i += 10) {
            det.scan(); // as its poller would, in virtual time
            rig.run(Duration.ofMillis(10));
        }
    }

    @Test
    void flagsAPageWrittenThenExecutedAndNothingElse() {
        try (ListenerRig rig = ListenerRig.create()) {
            // a stager: copies code into a data page, then jumps to it
            int inject = rig.domain("inject", "run 200us touch w 0x40000-0x40fff every 10us; run 100us touch x 0x40000-0x40fff every 10us; sleep 1ms").id();
            // the others write data and execute code, but never code they wrote
            int writer = rig.domain("writer", "run 1ms touch w 0x100000-0x17ffff every 2us; run 200us touch x 0x1000-0x3fff; sleep 1ms").id();
            int burn = rig.domain("burn", "cpu").id();
            int pinger = rig.domain("pinger", "run 50us touch x 0x1000-0x1fff; run 20us touch r 0x8000-0x8fff; sleep 2ms").id();
            InjectionDetector det = new InjectionDetector(rig.memAccess(), rig.hypervisor(), Map.of("pause", "true"));
            try {
                run(rig, det, 300);
                assertTrue(det.flagged(inject), "inject flagged");
                assertFalse(det.flagged(writer));
                assertFalse(det.flagged(burn));
                assertFalse(det.flagged(pinger));
                String dmesg = String.join("\n", rig.dmesg());
                assertTrue(dmesg.contains("injection-detector: d" + inject + " (inject) executes gfn 40 (offset 0, vcpu 0) which it wrote: code injection; domain paused"), dmesg);
                assertEquals(1, dmesg.lines().filter(l -> l.contains("code injection")).count(), dmesg);
                assertTrue(rig.hypervisor().domain(inject).orElseThrow().paused(), "paused by configuration");
                assertFalse(rig.hypervisor().domain(writer).orElseThrow().paused());
            } finally {
                det.stop();
            }
            // stopping restored every page
            assertEquals(0L, (long) rig.hypervisor().p2m(writer).counts().pagesByAccess().get(P2mAccess.RX));
        }
    }
}
