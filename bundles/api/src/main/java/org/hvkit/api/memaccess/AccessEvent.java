package org.hvkit.api.memaccess;

/**
 * A violation as the listener sees it (Xen 4.2's {@code mem_event_request_t}, reason VIOLATION).
 *
 * @param domainId   the domain
 * @param vcpu       the faulting vCPU
 * @param gfn        the frame accessed
 * @param offset     the byte offset in the frame
 * @param read       the access was a read
 * @param write      a write
 * @param exec       an instruction fetch
 * @param gla        the guest linear address, when {@code glaValid}
 * @param glaValid   whether the platform knew the linear address
 * @param vcpuPaused the vCPU waits for this event's answer (false for {@code n2rwx} events)
 * @param sequence   the event's number in its session, from 1
 */
public record AccessEvent(int domainId, int vcpu, long gfn, long offset, boolean read, boolean write, boolean exec, long gla, boolean glaValid, boolean vcpuPaused, long sequence) {
}
