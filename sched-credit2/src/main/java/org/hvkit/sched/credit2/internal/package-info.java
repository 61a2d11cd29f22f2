/** Xen's credit2 scheduler. Private: the bundle exports nothing, so it can be updated alone. */
package org.hvkit.sched.credit2.internal;
