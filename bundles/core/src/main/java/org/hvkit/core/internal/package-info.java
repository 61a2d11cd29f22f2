/** The hypervisor core: machine state, schedule path, domain lifecycle, pools. Not exported. */
package org.hvkit.core.internal;
