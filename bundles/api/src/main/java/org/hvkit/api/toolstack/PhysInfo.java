package org.hvkit.api.toolstack;

import org.hvkit.api.platform.HostTopology;

/**
 * The host, as {@code xl info} shows it.
 *
 * @param platform      {@code sim} or {@code kvm}
 * @param platformLine  the platform's own description
 * @param topology      sockets, cores, threads, nodes
 * @param cpuMhz        nominal CPU frequency
 * @param hwCaps        eight 32-bit capability words
 * @param virtCaps      {@code hvm}, {@code hvm_directio} as available, space separated
 * @param totalMemoryMb host memory
 * @param freeMemoryMb  host memory no domain holds
 * @param freeCpus      pCPUs in no pool
 * @param scheduler     the default scheduler's opt_name (Pool-0's at boot)
 */
public record PhysInfo(String platform, String platformLine, HostTopology topology, int cpuMhz, int[] hwCaps,
        String virtCaps, long totalMemoryMb, long freeMemoryMb, int freeCpus, String scheduler) {
}
