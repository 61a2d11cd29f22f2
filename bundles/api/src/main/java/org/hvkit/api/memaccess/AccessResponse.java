package org.hvkit.api.memaccess;

import org.hvkit.api.p2m.P2mAccess;

/**
 * A listener's answer to one event.
 *
 * @param action    how the vCPU goes on
 * @param newAccess when not null, the page's access is set to this first (as a listener calling
 *                  {@code xc_hvm_set_mem_access} before {@code xc_mem_access_resume})
 */
public record AccessResponse(Action action, P2mAccess newAccess) {
    public enum Action {
        /** Unpause the vCPU; it retries the access against the page's (possibly changed) access. */
        RESUME,
        /** Let this one access complete, keeping the restriction for the next (single-step-like). */
        COMPLETE_ONCE,
        /** Crash the domain. */
        CRASH
    }

    public AccessResponse {
        if (action == null) throw new IllegalArgumentException("a response needs an action");
    }

    public static AccessResponse resume() {
        return new AccessResponse(Action.RESUME, null);
    }

    /** Sets the page's access to {@code a}, then resumes. */
    public static AccessResponse resume(P2mAccess a) {
        return new AccessResponse(Action.RESUME, a);
    }

    public static AccessResponse completeOnce() {
        return new AccessResponse(Action.COMPLETE_ONCE, null);
    }

    public static AccessResponse crash() {
        return new AccessResponse(Action.CRASH, null);
    }
}
