package org.hvkit.toolstack.xl.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * getopt_long as 4.2's sched-credit, sched-credit2 and sched-sedf use it ({@code opterr = 0}, no
 * default case): {@code -xVAL}, {@code -x VAL}, clusters of flags; their long options come already
 * resolved to these short forms (LongOpts). What those commands do not read passes silently: an
 * unknown or refused option, an option whose value is missing, and every operand.
 */
final class Getopt {
    /** One option: its letter as {@code -w}, its value (null for a flag) and the raw argument. */
    record Opt(String name, String value, String raw) {
    }

    private Getopt() {
    }

    /**
     * The options in order. {@code optstring} is getopt's (a letter followed by ':' takes a value);
     * a word starting with "--" is a long option getopt_long refused, skipped.
     */
    static List<Opt> parse(List<String> args, String optstring) {
        List<Opt> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) break;
            if (a.startsWith("--")) continue;
            if (!a.startsWith("-") || a.length() < 2) continue; // an operand: not read
            for (int k = 1; k < a.length(); k++) {
                char c = a.charAt(k);
                int at = c == ':' ? -1 : optstring.indexOf(c);
                if (at < 0) continue; // unknown: getopt's '?', which no case takes
                if (at + 1 < optstring.length() && optstring.charAt(at + 1) == ':') {
                    if (k + 1 < a.length()) out.add(new Opt("-" + c, a.substring(k + 1), a));
                    else if (i + 1 < args.size()) out.add(new Opt("-" + c, args.get(++i), a));
                    break;
                }
                out.add(new Opt("-" + c, null, a));
            }
        }
        return out;
    }
}
