package org.hvkit.platform.sim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The touch clause's optional linear mapping: parsed in either order with every, refused with a reason when it cannot be. */
class WorkloadTouchTest {
    private static Workload.Touch touch(String w) {
        return Workload.parse(w).phases().get(0).touch();
    }

    @Test
    void atGivesEachByteItsLinearAddress() {
        Workload.Touch t = touch("run 1ms touch w 0x10800-0x12fff every 2us at 0x7f0000000800");
        assertEquals(2_000, t.everyNs());
        assertEquals(0x7f0000000800L, t.gla(0x10, 0x800));
        assertEquals(0x7f0000002010L, t.gla(0x12, 0x10));
        assertEquals(t, touch("run 1ms touch w 0x10800-0x12fff at 0x7f0000000800 every 2us"));
        assertEquals(-1, touch("run 1ms touch w 0x10000-0x12fff").gla(0x10, 0), "no mapping: unknown");
    }

    @Test
    void aLinearAddressThatIsNotCanonicalOrRepeatedIsRefused() {
        String m = assertThrows(IllegalArgumentException.class, () -> touch("run 1ms touch r 0x1000-0x1fff at 0x800000000000")).getMessage();
        assertTrue(m.contains("phase 1") && m.contains("not canonical"), m);
        m = assertThrows(IllegalArgumentException.class, () -> touch("run 1ms touch r 0x1000-0x2fff at 0x7ffffffff000")).getMessage();
        assertTrue(m.contains("whole range"), "the range runs past the lower half: " + m);
        m = assertThrows(IllegalArgumentException.class, () -> touch("run 1ms touch r 0x1000-0x1fff at 0x1000 at 0x2000")).getMessage();
        assertTrue(m.contains("each once"), m);
        m = assertThrows(IllegalArgumentException.class, () -> touch("run 1ms touch r 0x1000-0x1fff at nowhere")).getMessage();
        assertTrue(m.contains("bad linear address 'nowhere'"), m);
    }
}
