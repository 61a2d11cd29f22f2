package org.hvkit.api.pci;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class PciAddressTest {
    @Test
    void parsesXlsFormsAndPrintsXensForm() {
        assertEquals(new PciAddress(0, 0, 4, 0), PciAddress.parse("00:04.0"));
        assertEquals(new PciAddress(1, 0x3a, 0x1f, 7), PciAddress.parse("0001:3a:1f.7"));
        assertEquals("0001:3a:1f.7", PciAddress.parse("1:3A:1f.7").toString());
        assertEquals(0x3a << 8 | 0x1f << 3 | 7, PciAddress.parse("0001:3a:1f.7").sourceId());
    }

    @Test
    void refusesWhatIsNotAnAddressNamingIt() {
        for (String bad : new String[] {"", "04.0", "00:20.0", "00:04.8", "10000:00:04.0", "00:04", "0:0:0:0.0", "zz:04.0", "00:04.0 ", "00:-1.0", "00:04.0.1"}) {
            if (bad.equals("00:04.0 ")) continue; // trailing blanks are trimmed, as xl does
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PciAddress.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'") || e.getMessage().contains("must be"), e.getMessage());
        }
        assertEquals("0000:00:04.0", PciAddress.parse(" 00:04.0 ").toString());
    }

    @Test
    void ordersBySegmentThenSourceId() {
        assertTrue(PciAddress.parse("0000:ff:00.0").compareTo(PciAddress.parse("0001:00:00.0")) < 0);
        assertTrue(PciAddress.parse("00:01.0").compareTo(PciAddress.parse("00:00.7")) > 0);
    }
}
