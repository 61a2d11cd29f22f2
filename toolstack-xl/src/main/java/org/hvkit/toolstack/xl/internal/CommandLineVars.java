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
        try {
            XlCfgParser.parse("command line", line);
            return line;
        } catch (XlCfgParser.ParseException e) {
            return key + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }
}
