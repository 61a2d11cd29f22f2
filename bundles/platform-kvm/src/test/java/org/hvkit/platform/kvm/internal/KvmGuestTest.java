package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvkit.api.domain.DomainInfo;
import org.junit.jupiter.api.Test;

class KvmGuestTest {
    @Test
    void helloPrintsItsGreetingAndPowersOff() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.create("hello", "hello", "greeting=1 two", 8, null, null);
            boolean done = KvmRig.waitFor(() -> rig.gone(d.id()), 20_000);
            System.out.println(String.join("\n", rig.console()));
            System.out.println(rig.platform.stats());
            assertTrue(done, "hello did not power off");
            assertTrue(rig.console().stream().anyMatch(l -> l.contains("d" + d.id() + " Hello from hvkit guest on KVM")), "no greeting in " + rig.console());
            assertTrue(rig.console().stream().anyMatch(l -> l.contains("extra: greeting=1 two")), "no command line in " + rig.console());
        }
    }
}
