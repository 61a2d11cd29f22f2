package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.hvkit.guests.Guests;
import org.junit.jupiter.api.Test;

/** Parts that need no /dev/kvm. */
class KvmUnitTest {
    @Test
    void imagesAreCheckedBeforeAnythingIsBuilt() {
        byte[] hello = Guests.hello();
        GuestImage img = GuestImage.parse(hello, "hello");
        assertEquals(0x100000, img.entry());
        assertThrows(IllegalArgumentException.class, () -> GuestImage.parse(new byte[40], "zeros"));
        byte[] bad = hello.clone();
        bad[24] = 0x7F; // entry outside the kernel segment
        assertThrows(IllegalArgumentException.class, () -> GuestImage.parse(bad, "bad"));
    }

    @Test
    void argumentsParseWithUnits() {
        assertEquals(10_000_000L, KvmGuest.parseNumber("10ms"));
        assertEquals(250_000L, KvmGuest.parseNumber("250us"));
        assertEquals(2_000_000_000L, KvmGuest.parseNumber("2s"));
        assertEquals(0x1F, KvmGuest.parseNumber("0x1f"));
        assertEquals(3_000, KvmGuest.parseNumber("3k"));
        assertEquals(42, KvmGuest.parseNumber("42"));
    }
}
