/** The memory access service: Xen 4.2's mem_access on a platform's AccessPlatform SPI. */
package org.hvkit.memaccess.internal;
