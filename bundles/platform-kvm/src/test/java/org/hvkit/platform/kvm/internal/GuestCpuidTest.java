package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What a domain's CPUID warnings put into xl dmesg (no /dev/kvm needed). */
class GuestCpuidTest {
    private static final List<String> MANY = IntStream.range(0, 55).mapToObj(i -> "leaf 7 ebx bit " + i + " not offered by this host").toList();

    @Test
    void manyWarningsAreOneSummaryLineUnlessVerbose() {
        assertEquals(List.of("cpuid: 55 warnings, the first: leaf 7 ebx bit 0 not offered by this host"
                + " (each of them in xl dmesg with -Dhvkit.kvm.cpuid.verbose=true)"), GuestCpuid.warningLines(MANY, false));
        List<String> all = GuestCpuid.warningLines(MANY, true);
        assertEquals(55, all.size());
        assertEquals("cpuid: warning: leaf 7 ebx bit 54 not offered by this host", all.get(54));
        assertEquals(List.of("cpuid: warning: only one"), GuestCpuid.warningLines(List.of("only one"), false), "a single one is said as it is");
        assertEquals(List.of(), GuestCpuid.warningLines(List.of(), false));
        assertEquals(List.of("cpuid: warning: abm is not supported by the host, removed"),
                GuestCpuid.warningLines(List.of("cpuid: abm is not supported by the host, removed"), true), "the policy's own 'cpuid: ' is not repeated");
    }

    @Test
    void theVerboseSettingIsTrueOrFalse() {
        assertFalse(GuestCpuid.verbose(null));
        assertFalse(GuestCpuid.verbose("false"));
        assertTrue(GuestCpuid.verbose(" true"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GuestCpuid.verbose("yes"));
        assertEquals("hvkit.kvm.cpuid.verbose=yes: expected true or false", e.getMessage());
    }

    @Test
    void badKvmSettingsAreOneLine() {
        java.util.Map<String, String> p = new java.util.HashMap<>();
        assertNull(KvmPlatformSelector.problem(p::get));
        p.put("hvkit.kvm.cpuid.verbose", "yes");
        assertEquals("hvkit.kvm.cpuid.verbose=yes: expected true or false", KvmPlatformSelector.problem(p::get));
        p.put("hvkit.kvm.cpuid.verbose", "true");
        p.put("hvkit.kvm.memory", "lots");
        assertEquals("hvkit.kvm.memory=lots: expected MiB, a whole number such as 4096", KvmPlatformSelector.problem(p::get));
    }
}
