package org.hvkit.api.memaccess;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides about violations of one domain; implemented by the mem-access bundle, called by the
 * platform in <b>machine context</b> on the faulting vCPU's pCPU (the simulated machine's event
 * loop, the vCPU's KVM carrier). It never blocks and never waits for a listener.
 */
@ConsumerType
public interface ViolationHandler {
    /**
     * vCPU {@code v.vcpu()} made an access the page's current access does not permit.
     *
     * @return {@link Verdict#CONTINUE}: carry the access out now (the handler changed the p2m so it
     *         is permitted, e.g. rx2rw, n2rwx, or no listener); {@link Verdict#PAUSE}: hold the vCPU
     *         before the access until {@link AccessEnforcement#resume}; {@link Verdict#CRASHED}: the
     *         handler crashed the domain, run none of its vCPUs again
     */
    Verdict violation(Violation v);

    /** The domain is being destroyed: no call follows; the enforcement is closed. Machine context. */
    void destroyed();
}
