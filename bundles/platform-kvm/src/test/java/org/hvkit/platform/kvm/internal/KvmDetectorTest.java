package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.example.detector.InjectionDetector;
import org.hvkit.guests.Guests;
import org.hvkit.memaccess.internal.MemAccessService;
import org.junit.jupiter.api.Test;

/** The example code-injection detector, unchanged, on KVM against the real test guests. */
class KvmDetectorTest {
    /** Flagged, as the detector reports it in xl dmesg (its own query is internal to the plugin). */
    private static boolean flagged(KvmRig rig, DomainInfo d) {
        return rig.console().stream().anyMatch(l -> l.contains("injection-detector: d" + d.id() + " (" + d.name() + ")") && l.contains("code injection"));
    }

    @Test
    void flagsInjectAndNeverBurnPingerHelloOrWriter() throws Exception {
        try (KvmRig rig = new KvmRig(null, true); MemAccessService ma = new MemAccessService(rig.platform, 1_000_000_000L)) {
            DomainInfo inject = rig.createPreserved("inject", "inject", "delay=1500ms", 16);
            DomainInfo writer = rig.createPreserved("writer", "writer", "delay=1500ms pages=32 rounds=2", 16);
            DomainInfo burn = rig.createPreserved("burn", "burn", "1000000 0", 8);
            DomainInfo pinger = rig.createPreserved("pinger", "pinger", "5ms 0", 8);
            InjectionDetector det = new InjectionDetector(ma, rig.core, Map.of("pause", "true"));
            try {
                Thread.sleep(300); // its poller attaches to the domains it finds
                DomainInfo hello = rig.createPreserved("hello", "hello", "watched", 8);
                assertTrue(KvmRig.waitFor(() -> flagged(rig, inject) && rig.shutDown(writer.id()) && rig.shutDown(hello.id()), 60_000),
                        "inject not flagged or writer/hello not done: " + rig.console());
                Thread.sleep(500); // burn and pinger keep running under watch
                for (DomainInfo d : List.of(writer, burn, pinger, hello)) assertFalse(flagged(rig, d), d.name() + " flagged: " + rig.console());
                String dmesg = String.join("\n", rig.console());
                assertTrue(dmesg.contains("injection-detector: d" + inject.id() + " (inject) executes gfn " + Long.toHexString(Guests.INJECT_PAGE >>> 12)), dmesg);
                assertEquals(1, dmesg.lines().filter(l -> l.contains("code injection")).count(), dmesg);
                assertTrue(rig.core.domain(inject.id()).orElseThrow().paused(), "paused by configuration");
                assertEquals(Guests.writerChecksum(32, 2), rig.reported(writer.id(), 1), "writer's checksum under watch");
                assertTrue(rig.reported(pinger.id(), 0) > 10, "pinger went on under watch");
            } finally {
                det.stop();
            }
        }
    }
}
