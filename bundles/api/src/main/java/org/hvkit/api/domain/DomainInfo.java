package org.hvkit.api.domain;

/**
 * A snapshot of one domain, as {@code xl list} shows it.
 *
 * @param id             domain id (0 is Domain-0)
 * @param name           domain name
 * @param uuid           domain UUID, canonical text form
 * @param memoryMb       current memory in MiB
 * @param maxMemoryMb    maximum memory in MiB
 * @param onlineVcpus    vCPUs online now
 * @param maxVcpus       vCPUs the domain has
 * @param running        some vCPU is on a pCPU now ({@code r})
 * @param blocked        no vCPU is running or runnable ({@code b})
 * @param paused         paused by the toolstack ({@code p})
 * @param shutdown       the guest shut down and the domain is not yet gone ({@code s})
 * @param shutdownReason why, when {@code shutdown}; else null
 * @param dying          being destroyed ({@code d})
 * @param cpuTimeNs      CPU time used by all its vCPUs, in nanoseconds
 * @param poolId         id of its CPU pool
 * @param poolName       name of its CPU pool
 * @param createdAtNs    hypervisor clock at creation, nanoseconds
 */
public record DomainInfo(
        int id,
        String name,
        String uuid,
        long memoryMb,
        long maxMemoryMb,
        int onlineVcpus,
        int maxVcpus,
        boolean running,
        boolean blocked,
        boolean paused,
        boolean shutdown,
        ShutdownReason shutdownReason,
        boolean dying,
        long cpuTimeNs,
        int poolId,
        String poolName,
        long createdAtNs) {

    /** The six state characters of {@code xl list}, e.g. {@code r-----} or {@code ---sc-}. */
    public String stateString() {
        return new String(new char[] {
            running ? 'r' : '-',
            blocked ? 'b' : '-',
            paused ? 'p' : '-',
            shutdown ? 's' : '-',
            shutdown && shutdownReason != null ? shutdownReason.letter() : '-',
            dying ? 'd' : '-'});
    }
}
