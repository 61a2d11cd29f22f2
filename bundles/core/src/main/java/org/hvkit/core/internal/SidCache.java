package org.hvkit.core.internal;

import org.hvkit.api.xsm.SecurityModule;

/**
 * A domain's security label: the context it was created with (null: the module's default for it)
 * and its SID under the module that gave it, asked again after a module change. Machine context only.
 */
final class SidCache {
    final String context;
    private SecurityModule owner;
    private int sid;

    SidCache(String context) {
        this.context = context;
    }

    /** Remembers a SID already computed (at create time) for {@code m}. */
    void set(SecurityModule m, int sid) {
        this.owner = m;
        this.sid = sid;
    }

    SecurityModule owner() {
        return owner;
    }

    int sid() {
        return sid;
    }
}
