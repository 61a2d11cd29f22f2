package org.hvkit.hw.dma.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.hvkit.api.pci.PciAddress;
import org.junit.jupiter.api.Test;

class DeviceListTest {
    @Test
    void defaultsToOneEngineInSegmentZeroAndOneInSegmentOne() {
        assertEquals(List.of(PciAddress.parse("0000:03:00.0"), PciAddress.parse("0001:03:00.0")), DeviceList.parse(null));
        assertEquals(DeviceList.DEFAULT, DeviceList.parse("  "));
        assertEquals(List.of(), DeviceList.parse("none"));
        assertEquals(List.of(PciAddress.parse("0000:04:00.0"), PciAddress.parse("0002:00:1f.7")), DeviceList.parse("04:00.0, 0002:00:1f.7"));
    }

    @Test
    void aBadValueNamesThePropertyTheValueAndTheForm() {
        for (String bad : new String[] {"banana", "0000:03:00.0,0000:03:00.0", "00:20.0", "03:00.0,,x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceList.parse(bad));
            assertTrue(e.getMessage().startsWith("hvkit.pci.devices=" + bad + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("SSSS:BB:DD.F"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeviceList.parse("3:0.0,03:00.0")).getMessage().contains("0000:03:00.0 is given twice"));
    }
}
