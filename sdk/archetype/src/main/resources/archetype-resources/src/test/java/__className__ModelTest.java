package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ${className}ModelTest {
    private final ${className}Model m = new ${className}Model();

    @Test
    void everyFeatureIsOneBitOfHwCaps() {
        int[] w = m.hwCaps();
        assertEquals(8, w.length, "xl info prints eight words");
        int bits = 0;
        for (int x : w) bits += Integer.bitCount(x);
        assertEquals(m.features().size(), bits, "one bit per feature, none twice");
        for (String f : m.features()) {
            int[] wb = ${className}Model.BITS.get(f);
            assertTrue((w[wb[0]] & (1 << wb[1])) != 0, f);
        }
    }

    @Test
    void identityIsWhatCpuidShows() {
        assertEquals("${pluginName}", m.name());
        assertEquals(12, m.vendor().length(), "CPUID leaf 0 holds a 12-byte vendor string");
        assertTrue(m.brand().length() <= 47, "leaves 0x80000002-4 hold at most 47 characters and a NUL");
        assertTrue(m.features().contains("lm"), "a 64-bit guest needs long mode");
    }
}
