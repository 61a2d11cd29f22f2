package org.hvkit.api.domain;

/**
 * A snapshot of one vCPU, as {@code xl vcpu-list} shows it.
 *
 * @param domainId     its domain
 * @param domainName   its domain's name
 * @param vcpuId       vCPU number within the domain
 * @param online       whether the vCPU is online
 * @param processor    the pCPU it runs on or last ran on (its scheduler's placement)
 * @param state        run state now
 * @param paused       whether the domain is paused
 * @param cpuTimeNs    time spent {@link RunState#RUNNING}, in nanoseconds
 * @param hardAffinity the pCPUs it may run on
 * @param softAffinity the pCPUs it prefers
 */
public record VcpuInfo(
        int domainId,
        String domainName,
        int vcpuId,
        boolean online,
        int processor,
        RunState state,
        boolean paused,
        long cpuTimeNs,
        CpuMask hardAffinity,
        CpuMask softAffinity) {
}
