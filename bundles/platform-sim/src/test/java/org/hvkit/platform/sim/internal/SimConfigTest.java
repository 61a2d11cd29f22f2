package org.hvkit.platform.sim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every hvkit.sim.* setting: a bad value is refused with one line naming property, value and form. */
class SimConfigTest {

    @ParameterizedTest
    @CsvSource({
        "hvkit.sim.topology, banana, SOCKETSxCORESxTHREADS",
        "hvkit.sim.topology, 0x0x0, SOCKETSxCORESxTHREADS",
        "hvkit.sim.topology, 2x-1x2, SOCKETSxCORESxTHREADS",
        "hvkit.sim.nodes, 0, from 1",
        "hvkit.sim.nodes, two, not a number",
        "hvkit.sim.memory, lots, 64G",
        "hvkit.sim.memory, 0G, 64G",
        "hvkit.sim.seed, abc, whole number",
        "hvkit.sim.mode, turbo, paced",
        "hvkit.sim.speed, fast, positive number",
        "hvkit.sim.speed, -2, positive number",
    })
    void badValueNamesPropertyValueAndForm(String key, String value, String form) {
        var e = assertThrows(IllegalArgumentException.class, () -> SimConfig.fromProperties(Map.of(key, value)::get));
        String msg = e.getMessage();
        assertTrue(msg.startsWith(key + "="), msg);
        assertTrue(msg.contains(value), msg);
        assertTrue(msg.contains(form), msg);
        assertTrue(!msg.contains("\n"), msg);
    }

    @Test
    void goodValuesAreTaken() {
        var c = SimConfig.fromProperties(Map.of("hvkit.sim.topology", "1x2x2", "hvkit.sim.memory", "8G",
                "hvkit.sim.seed", "7", "hvkit.sim.mode", "fast", "hvkit.sim.speed", "0.5")::get);
        assertEquals(4, c.topology().nrCpus());
        assertEquals(1, c.topology().nrNodes());
        assertEquals(8L << 30, c.topology().totalMemoryBytes());
        assertEquals(7, c.seed());
        assertEquals(SimConfig.Mode.FAST, c.mode());
        assertEquals(0.5, c.speed());
    }
}
