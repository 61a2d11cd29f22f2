/** Hypervisor timers: per-pCPU one-shot timers driven by the platform's clock. */
@Export
@Version("1.0.0")
package org.hvkit.api.timer;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
