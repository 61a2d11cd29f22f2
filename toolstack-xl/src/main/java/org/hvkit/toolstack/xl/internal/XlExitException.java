package org.hvkit.toolstack.xl.internal;

/**
 * Ends an xl command with a non-zero exit status, after xl's own words went to stderr. Gogo has
 * no exit codes; the script runner behind {@code ./hvkit -c} reads {@link #status()}.
 */
public final class XlExitException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public XlExitException(int status) {
        super("xl: exit status " + status, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
