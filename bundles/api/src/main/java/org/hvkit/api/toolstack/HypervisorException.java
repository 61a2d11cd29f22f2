package org.hvkit.api.toolstack;

/** A toolstack operation failed; {@link #errno()} says how, in Xen's terms, and nothing changed. */
public class HypervisorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The error classes Xen's hypercalls return. */
    public enum Errno { EINVAL, ENOENT, EEXIST, EBUSY, ENOMEM, ENODEV, EPERM, ESRCH, EAGAIN,
        /** Denied by the security module (Xen: -EACCES, "Permission denied"); since 1.3. */
        EACCES }

    private final Errno errno;

    public HypervisorException(Errno errno, String message) {
        super(message);
        this.errno = errno;
    }

    public HypervisorException(Errno errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
