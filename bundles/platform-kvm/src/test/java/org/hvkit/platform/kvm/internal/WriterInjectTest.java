package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvkit.api.domain.DomainInfo;
import org.hvkit.guests.Guests;
import org.junit.jupiter.api.Test;

/** The writer and inject test guests on KVM, unwatched: what they report is what their code promises. */
class WriterInjectTest {
    @Test
    void writerReportsTheChecksumOfItsPattern() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.createPreserved("writer", "writer", "delay=10ms pages=64 rounds=3", 16);
            assertTrue(KvmRig.waitFor(() -> rig.shutDown(d.id()), 30_000),
                    "writer did not finish: " + rig.console());
            assertEquals(3, rig.reported(d.id(), 0), "rounds");
            long want = Guests.writerChecksum(64, 3);
            assertEquals(want, rig.reported(d.id(), 1));
            assertTrue(rig.console().stream().anyMatch(l -> l.contains("d" + d.id() + " writer: checksum " + String.format("%016x", want))), rig.console().toString());
        }
    }

    @Test
    void writerClampsItsPagesToRam() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            // 8 MiB of RAM leaves 1024 pages above 4 MiB
            DomainInfo d = rig.createPreserved("writer", "writer", "0 100000 1", 8);
            assertTrue(KvmRig.waitFor(() -> rig.shutDown(d.id()), 30_000), "writer did not finish: " + rig.console());
            assertEquals(Guests.writerChecksum(1024, 1), rig.reported(d.id(), 1));
        }
    }

    @Test
    void injectRunsItsPayloadFromADataPage() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.createPreserved("inject", "inject", "delay=10ms", 16);
            assertTrue(KvmRig.waitFor(() -> rig.shutDown(d.id()), 30_000), "inject did not finish: " + rig.console());
            assertEquals(1, rig.reported(d.id(), 0));
            assertEquals(Guests.INJECT_MARK, rig.reported(d.id(), 1), "the payload ran from the data page");
            assertTrue(rig.console().stream().anyMatch(l -> l.contains("d" + d.id() + " inject: payload ran")), rig.console().toString());
        }
    }
}
