package org.hvkit.api.sched;

import java.io.PrintWriter;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One scheduler instance, owning the pCPUs of one CPU pool. Hooks mirror Xen's; every call is
 * serialised by the core (see the package documentation).
 *
 * <p>The protocol: {@link #addPcpu} for each pCPU of the pool, {@link #addDomain} before the
 * domain's vCPUs are inserted with {@link #insertVcpu}. A vCPU is inserted not running; if it is
 * runnable the core follows with {@link #wake}. {@link #sleep} and {@link #wake} bracket every
 * period in which the vCPU does not want a pCPU. {@link #doSchedule} is called on a pCPU when its
 * slice ends, when it was tickled, and when its current vCPU blocked or yielded.
 */
@ConsumerType
public interface Scheduler {

    /** A pCPU joins the pool (Xen's alloc_pdata and switch_sched). */
    void addPcpu(int cpu);

    /** A pCPU leaves the pool; it runs nothing of this pool any more. */
    void removePcpu(int cpu);

    /**
     * A domain joins (alloc_domdata). {@code params} holds all of its parameters, defaults filled
     * in and already validated.
     */
    void addDomain(SchedDomain dom, Map<String, Long> params);

    /** A domain leaves, after all of its vCPUs were removed (free_domdata). */
    void removeDomain(SchedDomain dom);

    /** A vCPU enters the scheduler (insert_vcpu). It is not running; its processor is set. */
    void insertVcpu(SchedVcpu v);

    /** A vCPU leaves the scheduler (remove_vcpu). It is not running. */
    void removeVcpu(SchedVcpu v);

    /** The vCPU stopped being runnable: it blocked, was paused or went offline. */
    void sleep(SchedVcpu v);

    /** The vCPU became runnable. Enqueue it, boost it, tickle a pCPU as the policy says. */
    void wake(SchedVcpu v);

    /** The running vCPU yields its pCPU (SCHEDOP_yield); {@link #doSchedule} follows. */
    void yield(SchedVcpu v);

    /** The context switch away from {@code v} finished; it is no longer running. */
    default void contextSaved(SchedVcpu v) {
    }

    /**
     * Chooses what pCPU {@code cpu} runs next and for how long (do_schedule).
     *
     * @param cpu     the pCPU deciding
     * @param now     current time, ns
     * @param current the vCPU that was running there as the core knows it, or null for idle; it may
     *                be not runnable any more (it blocked), in which case it must not be chosen. The
     *                core takes a vCPU off its pCPU itself when its domain is paused, shut down or
     *                destroyed (and calls {@link #contextSaved}); then {@code current} is null
     *                although the instance last chose that vCPU
     * @return the decision; its vCPU must be runnable, belong to this pool, allow {@code cpu} in its
     *         hard affinity and not run elsewhere. The core rejects any other answer.
     */
    Decision doSchedule(int cpu, long now, SchedVcpu current);

    /**
     * The pCPU {@code v} should run on (pick_cpu), for placement at insertion, after an affinity
     * change and when the core migrates it. Must be in the pool and in the vCPU's hard affinity
     * where that intersects the pool.
     */
    int pickCpu(SchedVcpu v);

    /** The hard or soft affinity of {@code v} changed (adjust_affinity). */
    default void affinityChanged(SchedVcpu v) {
    }

    /** Per-domain parameters (adjust, get side): e.g. {@code weight} and {@code cap}. */
    Map<String, Long> getDomainParams(SchedDomain dom);

    /**
     * Changes per-domain parameters (adjust, put side). Only the keys present change.
     *
     * @throws IllegalArgumentException with Xen's message when a value is out of range; nothing
     *         changes then
     */
    void setDomainParams(SchedDomain dom, Map<String, Long> params);

    /** Per-pool parameters (adjust_global, get side): e.g. {@code tslice_ms}, {@code ratelimit_us}. */
    Map<String, Long> getPoolParams();

    /**
     * Changes per-pool parameters. Only the keys present change.
     *
     * @throws IllegalArgumentException with Xen's message when a value is out of range; nothing
     *         changes then
     */
    void setPoolParams(Map<String, Long> params);

    /** Writes the debug dump (Xen console key {@code r}): settings, then per-pCPU and per-vCPU state. */
    void dump(PrintWriter out);

    /** The instance is discarded; stop its timers. No other hook follows. */
    void shutdown();
}
