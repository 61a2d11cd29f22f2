/**
 * XSM, Xen's security hooks: every privileged operation of the core and the toolstack is one
 * {@link org.hvkit.api.xsm.Permission} checked for a subject (the caller's label, a guest's for its
 * own hypercalls) against a target (a domain's label, the hypervisor's, a device's). The decision is
 * a {@link org.hvkit.api.xsm.SecurityModule}'s: the core's built-in dummy module (Domain-0 is
 * privileged) until a security bundle such as FLASK registers one. {@link org.hvkit.api.xsm.Xsm} is
 * the core's control service (enforcing mode, policy loading, labels).
 */
@Export
@Version("1.0.0")
package org.hvkit.api.xsm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
