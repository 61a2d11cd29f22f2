package org.hvkit.api.toolstack;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.domain.ShutdownReason;
import org.hvkit.api.domain.VcpuInfo;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The control interface of the hypervisor, in the spirit of libxl. Implemented by the core and
 * registered as a service; thread-safe (every call runs in machine context). Operations either
 * complete or change nothing; they fail with {@link HypervisorException}.
 */
@ProviderType
public interface Hypervisor {
    /**
     * The domain's p2m (frames to order, type and access), kept by the platform; the view is
     * live and thread-safe.
     *
     * @throws HypervisorException ESRCH for no such domain, ENODEV when the platform keeps no p2m
     * @since 1.3
     */
    default org.hvkit.api.p2m.P2m p2m(int domid) {
        throw new HypervisorException(HypervisorException.Errno.ENODEV, "this hypervisor keeps no p2m");
    }

    /** Builds and starts a domain (paused if the config asks). Nothing is left behind on failure. */
    DomainInfo createDomain(DomainConfig config);

    /** Tears a domain down at once, whatever its state. Domain-0 cannot be destroyed. */
    void destroyDomain(int domid);

    void pauseDomain(int domid);

    void unpauseDomain(int domid);

    /**
     * Shuts a domain down with {@code reason} as if the guest had done it, then applies the
     * matching {@code on_*} action.
     */
    void shutdownDomain(int domid, ShutdownReason reason);

    List<DomainInfo> listDomains();

    Optional<DomainInfo> domain(int domid);

    /** Resolves a domain name or a numeric id. */
    Optional<DomainInfo> findDomain(String nameOrId);

    /**
     * The guest's console output from {@code offset} on (a domain keeps its newest 64 KiB).
     *
     * @throws HypervisorException when there is no such domain
     */
    ConsoleChunk guestConsole(int domid, long offset);

    /** Statistics of the values the domain's guest reported, by key (e.g. a test guest's wake latency in ns). */
    List<GuestReport> guestReports(int domid);

    /** The vCPUs of one domain, by vCPU number. */
    List<VcpuInfo> vcpus(int domid);

    /** Sets the hard affinity of one vCPU, or of all when {@code vcpu} is -1. */
    void pinVcpu(int domid, int vcpu, CpuMask hard);

    /**
     * Sets the hard and soft affinity of one vCPU, or of all when {@code vcpu} is -1 (xl vcpu-pin
     * with a soft affinity, Xen 4.5 and later); a null mask leaves that affinity as it is.
     *
     * @since 1.1
     */
    void pinVcpu(int domid, int vcpu, CpuMask hard, CpuMask soft);

    /** The domain's scheduler parameters, e.g. {@code weight} and {@code cap}. */
    Map<String, Long> domainSchedParams(int domid);

    /** Changes some scheduler parameters of a domain; only the keys given change. */
    void setDomainSchedParams(int domid, Map<String, Long> params);

    List<PoolInfo> pools();

    Optional<PoolInfo> findPool(String nameOrId);

    /** A pool's scheduler parameters, e.g. {@code tslice_ms} and {@code ratelimit_us}. */
    Map<String, Long> poolSchedParams(int poolId);

    void setPoolSchedParams(int poolId, Map<String, Long> params);

    /**
     * Creates a CPU pool with its own instance of {@code scheduler} and the given pCPUs, which
     * must all be free (in no pool). Xen's rules and messages apply.
     */
    PoolInfo createPool(String name, String scheduler, CpuMask cpus);

    /** Destroys a pool that has no domains; its pCPUs become free. */
    void destroyPool(int poolId);

    void renamePool(int poolId, String newName);

    /** Adds free pCPUs to a pool. */
    void addPoolCpus(int poolId, CpuMask cpus);

    /** Takes pCPUs out of a pool (they become free); a pool with domains keeps at least one. */
    void removePoolCpus(int poolId, CpuMask cpus);

    /** Moves a domain to another pool; its vCPUs' affinity is reset to all pCPUs, as in Xen. */
    void migrateDomain(int domid, int poolId);

    /**
     * Xen's cpupool-numa-split: Pool-0 keeps the first node's pCPUs and becomes
     * {@code Pool-node<N>}; every other node gets a pool {@code Pool-node<N>} with Pool-0's
     * scheduler. Refused when more than one pool exists.
     *
     * @return the pools created
     */
    List<PoolInfo> numaSplit();

    /** Writes every pool's scheduler debug dump (Xen's console key {@code r}). */
    List<String> dumpSchedulers();

    /** pCPUs in no pool. */
    CpuMask freeCpus();

    /**
     * Replaces a pool's scheduler with a new instance of {@code scheduler} while its domains run
     * (an hvkit extension): the pool is quiesced, every vCPU is handed over with its parameters,
     * affinity and run state, and the pool resumes.
     *
     * @return how long the pool was paused, ns of wall-clock time
     */
    long switchScheduler(int poolId, String scheduler);

    /** Evicts the pool's scheduler as the watchdog would: the pool falls back at once. */
    void forceFallback(int poolId, String reason);

    /**
     * The watchdog bound of a pool: a runnable vCPU of an uncapped domain that waits longer than
     * this (hypervisor time) gets its scheduler evicted. 0 turns the watchdog off.
     */
    long watchdogNs(int poolId);

    void setWatchdogNs(int poolId, long boundNs);

    /**
     * Every bound the pool's scheduler must keep ({@link PoolBounds}); the stall bound is
     * {@link #watchdogNs}.
     *
     * @since 1.2
     */
    PoolBounds bounds(int poolId);

    /**
     * Sets every bound of a pool at once. Waits that began before another pool's hook overran are
     * not charged to this pool; keep the stall bound above the neighbours' hook bounds all the same.
     *
     * @since 1.2
     */
    void setBounds(int poolId, PoolBounds bounds);

    /** The schedulers available now, by {@code optName}. */
    List<String> schedulers();

    PhysInfo physInfo();

    /** The hypervisor console ring, oldest line first; {@code clear} empties it after reading. */
    List<String> readConsole(boolean clear);

    /** Writes one line to the console ring, as the hypervisor's own messages are. */
    void printk(String line);

    /** Hypervisor time now, ns (virtual on the simulated machine). */
    long now();

    /**
     * Brings vCPUs {@code 0..count-1} online and the rest offline (xl vcpu-set): an offline vCPU
     * leaves its pool's scheduler, one brought online is inserted again and continues where it
     * stopped. Refused beyond the domain's maxvcpus and below 1.
     *
     * @since 1.3
     */
    void setVcpusOnline(int domid, int count);

    /**
     * Renames a domain (xl rename). Refused when another domain has the name or the name is not
     * one xl could address.
     *
     * @since 1.3
     */
    void renameDomain(int domid, String newName);

    /**
     * The host's free memory on each NUMA node, bytes, by node number ({@code xl info -n},
     * placement).
     *
     * @since 1.3
     */
    long[] freeMemoryPerNode();

    /**
     * How many bytes of a domain's memory each NUMA node holds, by node number.
     *
     * @since 1.3
     */
    long[] domainMemoryPerNode(int domid);

    /**
     * Sets a domain's memory target (xl mem-set), KiB: refused above its maximum; a guest with a
     * balloon gives memory back or takes it again, and {@link DomainInfo#memoryMb} follows what it holds.
     *
     * @since 1.3
     */
    void setMemoryTarget(int domid, long targetKb);

    /**
     * Sets a domain's maximum memory (xl mem-max), KiB: refused below its current target.
     *
     * @since 1.3
     */
    void setMaxMemory(int domid, long maxKb);

    /**
     * Saves a domain to {@code out} in hvkit's save format ({@code docs/save-format.md}): the
     * domain is paused, written, then destroyed, or with {@code checkpoint} left as it was. When
     * writing fails the domain resumes and nothing is destroyed.
     *
     * @return the bytes written
     * @since 1.3
     */
    long saveDomain(int domid, OutputStream out, boolean checkpoint);

    /**
     * {@link #saveDomain(int, OutputStream, boolean)} with {@code replacement} written as the
     * domain's configuration (xl save DOMAIN FILE CONFIG). It must agree with the domain on memory
     * and maxvcpus, else it is refused before the domain is paused. Null means the domain's own.
     *
     * @since 1.4
     */
    default long saveDomain(int domid, DomainConfig replacement, OutputStream out, boolean checkpoint) {
        if (replacement == null) return saveDomain(domid, out, checkpoint);
        throw new UnsupportedOperationException("this hypervisor cannot save under a replacement configuration");
    }

    /**
     * Creates a domain from a save file (xl restore): it continues where the saved one stopped,
     * unless {@code paused}. A file that is corrupt, truncated, for another platform or another
     * format version is refused with a message saying what and where, and no domain is left.
     *
     * @since 1.3
     */
    DomainInfo restoreDomain(InputStream in, boolean paused);

    /**
     * {@link #restoreDomain(InputStream, boolean)} under a replacement configuration (xl restore
     * CONFIG FILE): the domain takes {@code replacement}'s name, limits and options, while what the
     * saved state depends on (memory, maxvcpus) must agree with the saved domain, else it is refused
     * with both values named and nothing is created. Null means the file's own configuration.
     *
     * @since 1.4
     */
    default DomainInfo restoreDomain(InputStream in, boolean paused, DomainConfig replacement) {
        if (replacement == null) return restoreDomain(in, paused);
        throw new UnsupportedOperationException("this hypervisor cannot restore under a replacement configuration");
    }

    /**
     * Live migration, sending side (xl migrate): writes domain {@code domid} to {@code out} as
     * hvkit's migration stream (docs/save-format.md): pre-copy rounds of its memory while it runs
     * (dirty logging), then it is paused and the pages still dirty and its vCPU and device state
     * follow. Returns with the domain paused, for the toolstack to destroy once the target runs it
     * or to unpause when the target fails. When sending fails the domain is running again and the
     * exception says why; {@code progress} hears one line per round.
     *
     * @since 1.4
     */
    MigrationReport migrateSend(int domid, OutputStream out, java.util.function.Consumer<String> progress);

    /**
     * {@link #migrateSend(int, OutputStream, java.util.function.Consumer)} with {@code replacement}
     * sent as the domain's configuration (xl migrate -C): the target builds the domain under it.
     * It must agree with the domain on memory and maxvcpus (refused before anything is sent).
     *
     * @since 1.4
     */
    default MigrationReport migrateSend(int domid, DomainConfig replacement, OutputStream out, java.util.function.Consumer<String> progress) {
        if (replacement == null) return migrateSend(domid, out, progress);
        throw new UnsupportedOperationException("this hypervisor cannot migrate under a replacement configuration");
    }

    /**
     * Live migration, receiving side (xl migrate-receive): builds the domain of a migration stream,
     * paused, named as at the source with {@code nameSuffix} appended ({@code --incoming}). A
     * stream that is cut, corrupt, from another platform or from a CPU this host does not offer
     * is refused with a message saying what and where, and nothing is left of the domain.
     *
     * @since 1.4
     */
    DomainInfo migrateReceive(InputStream in, String nameSuffix);
}
