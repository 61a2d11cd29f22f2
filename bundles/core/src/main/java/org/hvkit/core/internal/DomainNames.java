package org.hvkit.core.internal;

/**
 * What a domain name may not be. xl (4.2's qualifier_to_id) reads an all-digit argument as a
 * domain id, so such a name could never be addressed; control characters would forge rows of
 * {@code xl list} and put escape sequences on the operator's terminal (4.2 only checks
 * uniqueness; hvkit refuses these as later libxl does).
 */
final class DomainNames {
    private DomainNames() {
    }

    /** Why {@code name} is refused, or null when it is fine. */
    static String problem(String name) {
        if (name.chars().allMatch(c -> c >= '0' && c <= '9')) return "domain name \"" + name + "\" is all digits: xl would read it as a domain id";
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) return String.format("domain name contains the control character U+%04X at position %d", (int) c, i);
        }
        return null;
    }
}
