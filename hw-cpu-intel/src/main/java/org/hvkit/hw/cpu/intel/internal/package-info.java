/** Intel CPU models and the CPUID policy. Private: the bundle exports nothing. */
package org.hvkit.hw.cpu.intel.internal;
