package org.hvkit.api.domain;

/** What happens after a domain shuts down: xl.cfg's {@code on_poweroff}, {@code on_reboot}, {@code on_watchdog} and {@code on_crash}. */
public enum LifecycleAction {
    DESTROY("destroy"),
    RESTART("restart"),
    RENAME_RESTART("rename-restart"),
    PRESERVE("preserve"),
    COREDUMP_DESTROY("coredump-destroy"),
    COREDUMP_RESTART("coredump-restart");

    private final String xlName;

    LifecycleAction(String xlName) {
        this.xlName = xlName;
    }

    /** The spelling used in xl.cfg. */
    public String xlName() {
        return xlName;
    }

    /** Parses the xl.cfg spelling; throws {@link IllegalArgumentException} naming the value otherwise. */
    public static LifecycleAction parse(String s) {
        for (LifecycleAction a : values()) if (a.xlName.equals(s)) return a;
        throw new IllegalArgumentException("unknown action \"" + s + "\"");
    }
}
