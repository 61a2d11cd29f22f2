package org.hvkit.api.xsm;

/** A policy that cannot be loaded: the message names the source, line and what is wrong there. */
public class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final int line;

    public PolicyException(String source, int line, String problem) {
        super(source + ":" + line + ": " + problem);
        this.source = source;
        this.line = line;
    }

    public String source() {
        return source;
    }

    /** 1-based; 0 when the problem is the policy as a whole (a missing statement). */
    public int line() {
        return line;
    }
}
