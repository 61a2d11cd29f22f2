package org.hvkit.api.domain;

/** Why a domain shut down (Xen's SHUTDOWN_* codes); the code is what {@code xl list -v} prints. */
public enum ShutdownReason {
    POWEROFF(0, '-'),
    REBOOT(1, 'r'),
    SUSPEND(2, 's'),
    CRASH(3, 'c'),
    WATCHDOG(4, 'w');

    private final int code;
    private final char letter;

    ShutdownReason(int code, char letter) {
        this.code = code;
        this.letter = letter;
    }

    /** Xen's numeric reason code. */
    public int code() {
        return code;
    }

    /** The fifth state character of {@code xl list} for a shut-down domain. */
    public char letter() {
        return letter;
    }

    /** Parses {@code poweroff}, {@code reboot}, {@code suspend}, {@code crash} or {@code watchdog}. */
    public static ShutdownReason parse(String name) {
        for (ShutdownReason r : values()) if (r.name().equalsIgnoreCase(name)) return r;
        throw new IllegalArgumentException("unknown shutdown reason '" + name + "'");
    }
}
