/**
 * Xen 4.2's memory access API: a privileged listener intercepts a domain's reads, writes and
 * instruction fetches page by page. {@link org.hvkit.api.memaccess.MemAccess} is the service (the
 * {@code mem-access} bundle provides it); {@link org.hvkit.api.memaccess.AccessPlatform} is the SPI
 * by which a platform enforces the p2m's access and reports violations to it.
 *
 * <p>Contexts, once: the platform calls {@link org.hvkit.api.memaccess.ViolationHandler} in
 * <em>machine context</em> (the faulting vCPU's pCPU holds the machine lock: the simulated
 * machine's event loop, a KVM carrier), so a handler never blocks there; listeners run on a thread
 * of the mem-access bundle, never in machine context.
 */
@Export
@Version("1.0.0")
package org.hvkit.api.memaccess;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
