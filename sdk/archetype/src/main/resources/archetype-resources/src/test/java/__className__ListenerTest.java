package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.testkit.memaccess.ListenerRig;
import org.junit.jupiter.api.Test;

/**
 * The listener against the real mem-access bundle on the real simulated machine (hvkit's
 * memory access kit): the events are the violations of the domains' touch workloads.
 */
class ${className}ListenerTest {
    private static void run(ListenerRig rig, ${className}Listener l, int ms) {
        for (int i = 0; i < ms; i += 10) {
            l.scan(); // as its poller would, in virtual time
            rig.run(Duration.ofMillis(10));
        }
    }

    @Test
    void reportsTheFirstWriteOfEachPageOnceAndNothingForReads() {
        try (ListenerRig rig = ListenerRig.create()) {
            int wr = rig.domain("wr", "run 1ms touch w 0x40000-0x47fff every 10us; sleep 1ms").id();
            int rd = rig.domain("rd", "run 1ms touch r 0x40000-0x47fff every 10us; sleep 1ms").id();
            ${className}Listener l = new ${className}Listener(rig.memAccess(), rig.hypervisor(), Map.of());
            try {
                run(rig, l, 100);
                assertEquals(Set.of(0x40L, 0x41L, 0x42L, 0x43L, 0x44L, 0x45L, 0x46L, 0x47L), l.written(wr));
                assertEquals(Set.of(), l.written(rd), "reads of an r-x page are no event");
                String dmesg = String.join("\n", rig.dmesg());
                assertTrue(dmesg.contains("${pluginName}: d" + wr + " (wr) first write to gfn 40 (vcpu 0)"), dmesg);
                assertEquals(8, dmesg.lines().filter(x -> x.contains("first write")).count(), dmesg);
            } finally {
                l.stop();
            }
            // stopping gave every page its full access back
            assertEquals(0L, (long) rig.hypervisor().p2m(wr).counts().pagesByAccess().get(P2mAccess.RX));
            assertEquals(P2mAccess.RWX, rig.memAccess().getDefaultAccess(wr));
        }
    }
}
