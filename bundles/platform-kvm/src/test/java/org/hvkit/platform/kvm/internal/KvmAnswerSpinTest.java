package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.memaccess.AccessResponse;
import org.hvkit.api.memaccess.MemAccessSession;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.guests.Guests;
import org.hvkit.memaccess.internal.MemAccessService;
import org.junit.jupiter.api.Test;

/**
 * The carrier's spin for a listener's answer (AnswerSpin): a quick listener's answers are caught
 * on the carrier, a slow one's are not and take the usual path; either way every write of the
 * writer guest completes exactly once (its checksum) and no vCPU is left held. Skipped without /dev/kvm.
 */
class KvmAnswerSpinTest {
    /** Runs writer with every write to its one data page an event ("complete once"); returns vCPU 0's {caught, missed}. */
    private static long[] run(KvmRig rig, MemAccessService ma, String name, int rounds, long sleepFirstN) throws Exception {
        DomainInfo d = rig.createPreserved(name, "writer", "delay=200ms pages=1 rounds=" + rounds, 16);
        KvmVcpu v0 = rig.platform.call(() -> rig.platform.guests().stream().filter(g -> g.domid == d.id()).findFirst().orElseThrow().vcpus[0]);
        AtomicLong n = new AtomicLong();
        MemAccessSession s = ma.enable(d.id(), e -> {
            if (n.incrementAndGet() <= sleepFirstN) {
                try {
                    Thread.sleep(2); // 20 times the carrier's spin
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }
            return AccessResponse.completeOnce();
        });
        ma.setAccess(d.id(), 0x400, 1, P2mAccess.RX);
        assertTrue(KvmRig.waitFor(() -> rig.shutDown(d.id()), 60_000), name + " did not finish: " + rig.console());
        assertEquals(Guests.writerChecksum(1, rounds), rig.reported(d.id(), 1), name + ": every write completed exactly once");
        assertTrue(n.get() >= 512L * rounds, name + ": every write to the page was an event (" + n.get() + ")");
        s.close();
        long[] spins = rig.platform.call(v0::answerSpins);
        assertTrue(rig.platform.call(() -> !v0.accessPaused()), name + ": vCPU 0 still held");
        rig.core.destroyDomain(d.id());
        System.out.printf("%s (d%d): %d events, %d answers caught by the carrier's spin, %d spins ran out, %d skipped by the back-off%n", name, d.id(), n.get(), spins[0], spins[1], spins[2]);
        return spins;
    }

    @Test
    void quickAnswersAreCaughtOnTheCarrierSlowOnesGoTheUsualWay() throws Exception {
        try (KvmRig rig = new KvmRig("0", false); MemAccessService ma = new MemAccessService(rig.platform, 1_000_000_000L)) {
            run(rig, ma, "warm-up", 2, 0); // a cold JIT answers slower than the spin
            long[] quick = run(rig, ma, "quick", 2, 0);
            assertTrue(quick[0] > 0, "no answer was caught by the spin: " + quick[0] + " caught, " + quick[1] + " missed");
            // every answer 2 ms late: none is caught by a 100 us spin, and after the first misses the back-off
            // skips spinning (1, 2, 4 ... 64 events after each miss), so the carrier spins for a few of the 512 only
            long[] slow = run(rig, ma, "slow", 1, Long.MAX_VALUE);
            assertEquals(0, slow[0], "an answer 2 ms late caught by a 100 us spin?");
            assertTrue(slow[1] < 30 && slow[2] > 450, "the back-off did not skip spins after misses: " + slow[1] + " missed, " + slow[2] + " skipped");
        }
    }
}
