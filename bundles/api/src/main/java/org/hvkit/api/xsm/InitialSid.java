package org.hvkit.api.xsm;

import java.util.Locale;

/**
 * The labels of things no one labelled (a policy's {@code sid NAME context;} statements): the
 * hypervisor, Domain-0, a domain created without {@code seclabel=}, the security server, devices.
 */
public enum InitialSid {
    XEN, DOM0, DOMU, SECURITY, DEVICE, UNLABELED;

    /** The name in policies, e.g. {@code domU}. */
    public String policyName() {
        return this == DOMU ? "domU" : name().toLowerCase(Locale.ROOT);
    }
}
