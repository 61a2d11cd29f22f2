/** Xen's credit scheduler. Private: the bundle exports nothing, so it can be updated alone. */
package org.hvkit.sched.credit1.internal;
