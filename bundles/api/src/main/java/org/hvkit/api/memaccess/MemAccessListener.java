package org.hvkit.api.memaccess;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A memory access listener (the helper that reads Xen's mem_event ring).
 *
 * <p>Called on the session's own delivery thread, one event at a time in the order the violations
 * happened, never in machine context: a listener may call {@link MemAccess} and the toolstack.
 * It must answer within the session's bound (the mem-access bundle's {@code answerMillis}, 1 s by
 * default): a listener that throws, returns null or overruns is disconnected — its pending events
 * are answered "resume", its domain is then handled by the no-listener rule, the reason goes to
 * {@code xl dmesg} and to {@link #disconnected} — and a thread stuck in it is abandoned.
 */
@ConsumerType
public interface MemAccessListener {
    /** One violation; the answer says how the vCPU goes on (ignored but for crash when the vCPU was not paused). */
    AccessResponse onEvent(AccessEvent event);

    /** The session ended: closed by its owner ("closed"), the domain destroyed, or the listener disconnected (the reason). */
    default void disconnected(String reason) {
    }
}
