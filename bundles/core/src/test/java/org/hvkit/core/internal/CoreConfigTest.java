package org.hvkit.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The core's framework settings: a bad one is one line naming property, value and form. */
class CoreConfigTest {

    private static String refusal(String key, String value) {
        return assertThrows(IllegalArgumentException.class, () -> CoreConfig.fromProperties(Map.of(key, value)::get)).getMessage();
    }

    @Test
    void badValuesAreRefusedByName() {
        assertEquals("hvkit.dom0.vcpus=banana: expected a whole number, 0 (all pCPUs) or more", refusal("hvkit.dom0.vcpus", "banana"));
        assertEquals("hvkit.dom0.vcpus=-1: expected a whole number, 0 (all pCPUs) or more", refusal("hvkit.dom0.vcpus", "-1"));
        assertEquals("hvkit.dom0.memory=1G: expected MiB as a whole number, e.g. 1024", refusal("hvkit.dom0.memory", "1G"));
        assertEquals("hvkit.dom0.memory=0: expected MiB as a whole number, e.g. 1024", refusal("hvkit.dom0.memory", "0"));
        assertEquals("hvkit.sched=no such: expected a scheduler name such as credit or credit2", refusal("hvkit.sched", "no such"));
    }

    @Test
    void defaultsAndGoodValues() {
        assertEquals(new CoreConfig("credit", 0, 1024, null), CoreConfig.fromProperties(Map.<String, String>of()::get));
        assertEquals(new CoreConfig("credit2", 4, 2048, null),
                CoreConfig.fromProperties(Map.of("hvkit.sched", "credit2", "hvkit.dom0.vcpus", "4", "hvkit.dom0.memory", "2048")::get));
    }
}
