package org.hvkit.platform.sim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the selector checks before it builds the machine: a bad setting is one line, not a trace. */
class SimStartCheckTest {

    @Test
    void unknownPlatformIsRefusedNotLogged() {
        assertEquals("hvkit.platform=banana: expected sim, kvm or auto",
                SimPlatformSelector.problem(Map.of("hvkit.platform", "banana")::get));
    }

    @Test
    void badTopologyIsRefusedBeforeTheMachineIsBuilt() {
        assertEquals("hvkit.sim.topology=0x0x0: expected SOCKETSxCORESxTHREADS, e.g. 2x4x2",
                SimPlatformSelector.problem(Map.of("hvkit.sim.topology", "0x0x0")::get));
    }

    @Test
    void defaultsAndKvmPass() {
        assertNull(SimPlatformSelector.problem(Map.<String, String>of()::get));
        // under kvm the simulated machine is never built, so its settings do not matter
        assertNull(SimPlatformSelector.problem(Map.of("hvkit.platform", "kvm", "hvkit.sim.topology", "x")::get));
    }
}
