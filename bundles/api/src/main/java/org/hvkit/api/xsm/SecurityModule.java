package org.hvkit.api.xsm;

import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A security module (Xen's {@code xsm_operations}), registered as a service by a security bundle;
 * the core binds at most one and asks it about every hooked operation. Security identifiers (SIDs)
 * are the module's own and stay valid while its service is registered; contexts are
 * {@code user:role:type} strings.
 */
@ConsumerType
public interface SecurityModule {
    /** E.g. {@code flask}. */
    String name();

    /** Where the module writes its audit lines (the hypervisor console, {@code xl dmesg}); called on binding. */
    void attach(Consumer<String> console);

    /** The SID of a context valid under the current policy. @throws IllegalArgumentException naming what is wrong with it */
    int contextToSid(String context);

    String sidToContext(int sid);

    int initialSid(InitialSid which);

    /**
     * The decision for {@code perm} by {@code ssid} on {@code tsid}: true to allow (also for a denial
     * in permissive mode, which is logged all the same). {@code subjectDomid} and {@code targetDomid}
     * (-1 when none) only go into the audit line. Called for every hooked operation: must be fast.
     */
    boolean check(int ssid, int tsid, Permission perm, int subjectDomid, int targetDomid);

    boolean enforcing();

    void setEnforcing(boolean enforcing);

    /** Replaces the policy as a whole, or refuses it whole and keeps the old one. */
    void loadPolicy(String source, String text) throws PolicyException;

    /**
     * The context of a control-socket peer (user name and groups from its credentials), or empty
     * when the policy admits it under no label.
     */
    Optional<String> peerContext(String user, Set<String> groups);
}
