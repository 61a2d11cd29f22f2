package org.hvkit.api.memaccess;

import org.osgi.annotation.versioning.ProviderType;

/** A listener enabled for one domain. Thread-safe. */
@ProviderType
public interface MemAccessSession extends AutoCloseable {
    int domainId();

    /** False once closed, disconnected or the domain is gone. */
    boolean active();

    /** Why the session ended, or null while it is active. */
    String endReason();

    /** Events delivered to the listener so far. */
    long delivered();

    /** Events waiting for the listener now (at most the queue's capacity). */
    int pending();

    /**
     * Disables the listener ({@code xc_mem_access_disable}): pending events are answered "resume",
     * every vCPU paused for the session is unpaused, and from now on the no-listener rule applies.
     * Page access is left as it is (a listener restores it first, as xen-access does). Idempotent.
     */
    @Override
    void close();
}
