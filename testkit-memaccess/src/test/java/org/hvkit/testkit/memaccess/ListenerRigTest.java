package org.hvkit.testkit.memaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hvkit.api.memaccess.AccessResponse;
import org.hvkit.api.memaccess.MemAccessSession;
import org.hvkit.api.p2m.P2mAccess;
import org.junit.jupiter.api.Test;

/** The rig delivers the real violations of a touch workload to a listener and carries its answers back. */
class ListenerRigTest {
    @Test
    void eachPageWrittenIsOneEventThenOpened() {
        try (ListenerRig rig = ListenerRig.create()) {
            int d = rig.domain("wr", "run 1ms touch w 0x40000-0x47fff every 10us; sleep 1ms").id();
            Set<Long> pages = ConcurrentHashMap.newKeySet();
            int[] events = {0};
            try (MemAccessSession s = rig.memAccess().enable(d, e -> {
                synchronized (events) {
                    events[0]++;
                }
                pages.add(e.gfn());
                return AccessResponse.resume(P2mAccess.RWX);
            })) {
                rig.memAccess().setAccess(d, 0, rig.hypervisor().p2m(d).maxPages(), P2mAccess.RX);
                rig.run(Duration.ofMillis(50));
            }
            assertEquals(Set.of(0x40L, 0x41L, 0x42L, 0x43L, 0x44L, 0x45L, 0x46L, 0x47L), pages);
            synchronized (events) {
                assertEquals(8, events[0], "one event per page: the answer opened it");
            }
        }
    }
}
