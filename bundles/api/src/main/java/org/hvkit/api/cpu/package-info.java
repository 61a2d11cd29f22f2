/**
 * CPU models and the CPUID a guest sees: {@link org.hvkit.api.cpu.CpuModel} (feature set, family,
 * model, stepping, brand, {@code hw_caps} words), {@link org.hvkit.api.cpu.DetailedCpuModel} (caches,
 * address sizes, leaf range), and the {@link org.hvkit.api.cpu.CpuidPolicy} service that turns a
 * model, the host's supported leaves, a domain's {@code cpuid=} option and its guest topology into a
 * {@link org.hvkit.api.cpu.CpuidResult}.
 *
 * <p>1.1.0 added {@code CpuidLeaf}, {@code CpuidResult}, {@code CpuidPolicy},
 * {@code CpuidOptionException}, {@code GuestCpuTopology}, {@code DetailedCpuModel}, {@code CpuCache}
 * and {@code HwCaps}.
 */
@Export
@Version("1.1.0")
package org.hvkit.api.cpu;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
