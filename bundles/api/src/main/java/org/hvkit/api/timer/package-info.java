/** Hypervisor timers: per-pCPU one-shot timers on the platform's clock, made by the timer bundle ({@link TimerFactory}). */
@Export
@Version("1.2.0")
package org.hvkit.api.timer;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
