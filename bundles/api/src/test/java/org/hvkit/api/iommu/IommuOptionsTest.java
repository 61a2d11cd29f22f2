package org.hvkit.api.iommu;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class IommuOptionsTest {
    @Test
    void parsesXensCommaListWithNoPrefixes() {
        assertEquals(IommuOptions.DEFAULT, IommuOptions.parse(null));
        assertTrue(IommuOptions.DEFAULT.enabled() && IommuOptions.DEFAULT.sharept() && !IommuOptions.DEFAULT.force());
        assertFalse(IommuOptions.parse("off").enabled());
        assertFalse(IommuOptions.parse("false").enabled());
        assertTrue(IommuOptions.parse("required").force());
        assertTrue(IommuOptions.parse("force").force());
        assertFalse(IommuOptions.parse("force,no-force").force());
        IommuOptions o = IommuOptions.parse("on,no-sharept,verbose,no-qinval");
        assertEquals(new IommuOptions(true, false, false, true, false), o);
        assertEquals(new IommuOptions(true, false, true, true, true), IommuOptions.parse("debug"));
        assertTrue(IommuOptions.parse("no-sharept,sharept").sharept());
    }

    @Test
    void refusesWordsItDoesNotKnowNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IommuOptions.parse("on,banana"));
        assertTrue(e.getMessage().startsWith("hvkit.iommu=on,banana: 'banana' is not an iommu= option"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IommuOptions.parse("on,,off"));
    }
}
