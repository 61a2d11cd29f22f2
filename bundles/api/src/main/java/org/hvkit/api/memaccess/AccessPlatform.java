package org.hvkit.api.memaccess;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The platform SPI of memory access: a platform that can intercept guest accesses page by page
 * registers this as a service (with the {@code hvkit.platform} property of its {@code Platform}).
 *
 * <p><b>Enforcement is the platform's, always</b>, whether or not anyone is attached: it follows
 * each domain's p2m ({@code GuestMemory.p2m()}, through a {@code P2mListener}) and makes the
 * access of every page hold for the guest (KVM: page protection and slots; the simulated machine:
 * the workloads' touches are checked). An access the page's access does not permit is a
 * <em>violation</em>: with a {@link ViolationHandler} attached the platform asks it; with none, it
 * drops that page's restriction to rwx and lets the access go on (Xen's rule with no listener and
 * access not required).
 */
@ConsumerType
public interface AccessPlatform {
    /**
     * Attaches {@code handler} to domain {@code domid}: from now on the platform reports that
     * domain's violations to it. Any thread, including machine context; the platform serialises.
     *
     * @throws IllegalArgumentException naming the domain when it does not exist on this platform
     * @throws IllegalStateException    when a handler is already attached to it
     */
    AccessEnforcement attach(int domid, ViolationHandler handler);
}
