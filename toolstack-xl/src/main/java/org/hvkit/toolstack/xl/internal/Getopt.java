package org.hvkit.toolstack.xl.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** getopt_long-style options as xl takes them: {@code -xVAL}, {@code -x VAL}, {@code --name=VAL}, {@code --name VAL}. */
final class Getopt {
    /** One option: its name as written ({@code -w}, {@code --weight}), its value (null for a flag) and the raw argument. */
    record Opt(String name, String value, String raw) {
    }

    private Getopt() {
    }

    /**
     * The options in order, or null after printing xl's message for a malformed command line
     * (the caller exits 2). Options in {@code flags} take no value.
     */
    static List<Opt> parse(String cmd, List<String> args, Set<String> flags, PrintStream err) {
        List<Opt> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i), opt, val = null;
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                opt = eq < 0 ? a : a.substring(0, eq);
                if (eq >= 0) val = a.substring(eq + 1);
            } else if (a.startsWith("-") && a.length() >= 2) {
                opt = a.substring(0, 2);
                if (a.length() > 2) val = a.substring(2);
            } else {
                err.println("xl " + cmd + ": unexpected argument " + a);
                return null;
            }
            if (val == null && !flags.contains(opt)) {
                if (i + 1 >= args.size()) {
                    err.println("xl " + cmd + ": option requires an argument -- '" + opt.replaceFirst("^-+", "") + "'");
                    return null;
                }
                val = args.get(++i);
            }
            out.add(new Opt(opt, val, a));
        }
        return out;
    }
}
