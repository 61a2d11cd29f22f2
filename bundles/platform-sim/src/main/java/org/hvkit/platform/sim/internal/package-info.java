/** The simulated machine: virtual time, discrete events, workload models. Not exported. */
package org.hvkit.platform.sim.internal;
