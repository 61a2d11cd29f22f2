package org.hvkit.api.toolstack;

import org.hvkit.api.domain.CpuMask;

/**
 * A CPU pool, as {@code xl cpupool-list} shows it.
 *
 * @param id          pool id (Pool-0 is 0)
 * @param name        pool name
 * @param scheduler   opt_name of its scheduler, e.g. {@code credit}
 * @param cpus        its pCPUs
 * @param domainCount domains in it
 */
public record PoolInfo(int id, String name, String scheduler, CpuMask cpus, int domainCount) {
}
