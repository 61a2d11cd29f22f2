/** The platform SPI: the machine that runs guests (simulated or KVM), its topology, and the contract by which it drives the core's schedule path. */
@Export
@Version("1.3.0")
package org.hvkit.api.platform;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
