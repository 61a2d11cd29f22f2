package org.hvkit.toolstack.xl.internal;

/**
 * Turns a command-line {@code key=value} override into an xl.cfg line. Shells (bash and Gogo
 * alike) strip the quotes users type, so a value that is not valid xl.cfg syntax on its own —
 * {@code name=web}, {@code cpus=8-11} — is taken as a string; valid values are kept as they are.
 */
final class CommandLineVars {
    private CommandLineVars() {
    }

    static String toCfgLine(String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0) return kv;
        String key = kv.substring(0, eq).strip(), value = kv.substring(eq + 1).strip();
        String line = key + "=" + value;
        boolean quotedOrList = value.startsWith("\"") || value.startsWith("'") || value.startsWith("[");
        if (STRING_KEYS.contains(key) && !quotedOrList) return quoted(key, value); // extra=7 is the string "7"
        try {
            XlCfgParser.parse("command line", line);
            return line;
        } catch (XlCfgParser.ParseException e) {
            return quoted(key, value);
        }
    }

    /** Keys whose value is a string in xl.cfg: a bare word there is that string, even one that looks like a number. */
    static final java.util.Set<String> STRING_KEYS = java.util.Set.of("name", "pool", "kernel", "ramdisk", "extra", "root", "cmdline", "workload",
            "on_poweroff", "on_reboot", "on_watchdog", "on_crash", "bootloader", "builder", "uuid", "description");

    private static String quoted(String key, String value) {
        return key + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
