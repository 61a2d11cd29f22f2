/**
 * The scheduler SPI, shaped on Xen's {@code struct scheduler} hook list.
 *
 * <p>A scheduler plugin registers a {@link org.hvkit.api.sched.SchedulerProvider} service. The core
 * creates one {@link org.hvkit.api.sched.Scheduler} instance per CPU pool from it and drives the
 * instance through its hooks. <b>Threading:</b> the core serialises every call into one instance,
 * including the callbacks of the timers it created; an instance never runs two hooks at once, so a
 * plugin needs no locks. Hooks must not block and must not call back into the toolstack API.
 *
 * <p><b>Time</b> is in nanoseconds of the platform's clock ({@link org.hvkit.api.sched.SchedulerContext#now()}):
 * virtual time on the simulated machine, the monotonic clock on KVM. The same plugin behaves the
 * same on both.
 */
@Export
@Version("1.1.0")
package org.hvkit.api.sched;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
