package org.hvkit.api.xsm;

import java.util.Objects;

/**
 * Who asks: a security context (null for the label of the domain it runs in) and the domain it
 * acts from ({@code 0} for the toolstack, a guest's id for its own hypercalls), plus a short
 * description for messages ({@code "uid 1001 (alice)"}).
 */
public record Subject(String context, int domid, String who) {
    public Subject {
        Objects.requireNonNull(who, "who");
    }

    /** The toolstack in Domain-0 with Domain-0's own label: what a caller without a bound subject is. */
    public static final Subject DOMAIN0 = new Subject(null, 0, "Domain-0");
}
