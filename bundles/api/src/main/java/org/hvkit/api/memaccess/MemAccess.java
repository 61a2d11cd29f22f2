package org.hvkit.api.memaccess;

import org.hvkit.api.p2m.P2mAccess;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The memory access API of Xen 4.2 ({@code xc_mem_access_*}, {@code xc_hvm_set/get_mem_access},
 * {@code xc_domain_set_access_required}) as a service. Callable from any thread but machine
 * context. Failures are {@link org.hvkit.api.toolstack.HypervisorException}s with Xen's errno:
 * ESRCH (no such domain), EBUSY (a listener is already enabled), ENODEV (the platform cannot
 * intercept accesses), EINVAL (a gfn range outside the domain's p2m).
 *
 * <p>When a vCPU's access is not permitted by its page's access, Xen 4.2's
 * {@code p2m_mem_access_check} decides: a write to an {@code rx2rw} page makes it rw and goes on
 * (no event); an {@code n2rwx} page becomes rwx and an event is sent without pausing the vCPU; any
 * other violation with a listener queues an event and pauses the vCPU until the listener answers;
 * with no listener the page's restriction is dropped to rwx, or the domain is crashed when
 * {@link #setAccessRequired access is required}.
 */
@ProviderType
public interface MemAccess {
    /**
     * Enables {@code listener} for domain {@code domid} ({@code xc_mem_access_enable}). One
     * listener per domain: a second gets EBUSY until the first session is closed or disconnected.
     */
    MemAccessSession enable(int domid, MemAccessListener listener);

    /**
     * Sets the access of gfns {@code [firstGfn, firstGfn + nr)} ({@code HVMOP_set_mem_access});
     * {@code nr} 0 does nothing. Superpages partly in the range are split (see {@code P2m.setAccess}).
     */
    void setAccess(int domid, long firstGfn, long nr, P2mAccess access);

    /** The access of {@code gfn} ({@code HVMOP_get_mem_access}). */
    P2mAccess getAccess(int domid, long gfn);

    /** Sets the default access of the domain's new pages ({@code first_pfn = ~0}). */
    void setDefaultAccess(int domid, P2mAccess access);

    P2mAccess getDefaultAccess(int domid);

    /** With {@code required}, a violation that finds no listener crashes the domain instead of dropping the restriction. */
    void setAccessRequired(int domid, boolean required);

    boolean accessRequired(int domid);
}
