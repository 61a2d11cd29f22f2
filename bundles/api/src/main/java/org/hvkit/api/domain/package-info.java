/**
 * The domain model: domains, vCPUs, their run states, shutdown reasons and lifecycle actions,
 * and {@link org.hvkit.api.domain.CpuMask} with Xen's range-list syntax.
 */
@Export
@Version("1.2.0")
package org.hvkit.api.domain;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
