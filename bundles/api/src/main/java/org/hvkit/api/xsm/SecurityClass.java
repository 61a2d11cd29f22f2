package org.hvkit.api.xsm;

import java.util.Locale;

/** Xen 4.2's access vector classes ({@code tools/flask/policy/policy/flask/security_classes}). */
public enum SecurityClass {
    XEN, DOMAIN, HVM, EVENT, GRANT, MMU, SHADOW, RESOURCE, SECURITY;

    /** The name in policies and avc lines, e.g. {@code domain}. */
    public String xenName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The class of a policy name, or null. */
    public static SecurityClass of(String name) {
        for (SecurityClass c : values()) if (c.xenName().equals(name)) return c;
        return null;
    }
}
