package org.hvkit.api.xsm;

import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The core's security control service, what {@code xl getenforce}, {@code setenforce},
 * {@code loadpolicy} and {@code list -Z} use. Changing the mode or the policy is itself checked
 * ({@code security:setenforce}, {@code security:load_policy}) for {@link Caller#current()};
 * denials are {@link org.hvkit.api.toolstack.HypervisorException}s with errno EACCES.
 */
@ProviderType
public interface Xsm {
    enum Mode {
        /** The dummy module: Domain-0 is privileged, no policy ({@code Flask XSM Disabled}). */
        DISABLED,
        PERMISSIVE,
        ENFORCING,
        /** A security module was bound and is gone (being replaced): everything is denied until one is back. */
        CLOSED
    }

    Mode mode();

    /** The bound module's name, {@code dummy} without one. */
    String moduleName();

    void setEnforcing(boolean enforcing);

    /** @throws PolicyException the policy was refused whole; the old one stays */
    void loadPolicy(String source, String text) throws PolicyException;

    /** A domain's security context, empty for no such domain (or without a security module). */
    Optional<String> domainContext(int domid);

    /**
     * Checks {@code permission} for {@link Caller#current()} on domain {@code domid}, for services
     * outside the core that act on a domain (the memory access API's {@code hvm:mem_event} and
     * {@code hvm:hvmctl}). A denial is logged as an avc line and thrown as a
     * {@link org.hvkit.api.toolstack.HypervisorException} with EACCES; a domain that does not exist
     * is left to the caller's own error.
     */
    void checkDomain(Permission permission, int domid);

    /** The subject a control-socket peer acts as, or empty: refused at connect. */
    Optional<Subject> admit(String user, Set<String> groups);
}
