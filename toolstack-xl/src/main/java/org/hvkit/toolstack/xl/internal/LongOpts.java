package org.hvkit.toolstack.xl.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The long options of the 4.2 commands that call getopt_long, resolved as glibc does before the
 * command's own parser sees them: an exact name, else an unambiguous prefix ({@code --wei=256} is
 * {@code --weight=256}); prefixes naming entries that differ in value or argument are ambiguous.
 * Every long option of these commands returns its short letter, so a resolved one is rewritten to
 * that letter ({@code -w 256}) and the command parses it as it parses the short form. xl.c sets
 * {@code opterr = 0} before any command runs, so getopt itself prints nothing (no "is ambiguous",
 * no "unrecognized option"); what getopt refuses becomes one token {@code --} + optopt, which the
 * commands that note refused options print as {@code option `X' not supported.} (optopt is NUL for an
 * unknown or ambiguous name, the option's letter when its argument is wrong) and the others skip.
 */
final class LongOpts {
    /** One entry of a command's long_options: getopt_long's has_arg (0 or 1) and val. */
    record Entry(String name, boolean hasArg, char val) {
    }

    /** A command's optstring and long_options, in 4.2's order (ambiguity lists follow it). */
    record Table(String optstring, List<Entry> longs) {
    }

    private static Entry f(String name, char val) {
        return new Entry(name, false, val);
    }

    private static Entry v(String name, char val) {
        return new Entry(name, true, val);
    }

    /** stable-4.2 xl_cmdimpl.c: every command whose main_* calls getopt_long. */
    static final Map<String, Table> TABLES = Map.ofEntries(
            Map.entry("create", new Table("Fhnqf:pcdeVA", List.of(f("dryrun", 'n'), f("quiet", 'q'), f("help", 'h'), v("defconfig", 'f'),
                    f("vncviewer", 'V'), f("vncviewer-autopass", 'A')))),
            Map.entry("config-update", new Table("dhqf:", List.of(f("help", 'h'), v("defconfig", 'f')))),
            Map.entry("list", new Table("lvhZ", List.of(f("long", 'l'), f("help", 'h'), f("verbose", 'v'), f("context", 'Z')))),
            Map.entry("info", new Table("hn", List.of(f("help", 'h'), f("numa", 'n')))),
            Map.entry("shutdown", new Table("wF", List.of(f("wait", 'w')))),
            Map.entry("restore", new Table("FhcpdeVA", List.of(f("vncviewer", 'V'), f("vncviewer-autopass", 'A')))),
            Map.entry("vncviewer", new Table("ah", List.of(f("autopass", 'a'), f("vncviewer-autopass", 'a'), f("help", 'h')))),
            Map.entry("sched-credit", new Table("d:w:c:p:t:r:hs", List.of(v("domain", 'd'), v("weight", 'w'), v("cap", 'c'),
                    f("schedparam", 's'), v("tslice_ms", 't'), v("ratelimit_us", 'r'), v("cpupool", 'p'), f("help", 'h')))),
            Map.entry("sched-credit2", new Table("d:w:p:h", List.of(v("domain", 'd'), v("weight", 'w'), v("cpupool", 'p'), f("help", 'h')))),
            Map.entry("sched-sedf", new Table("d:p:s:l:e:w:c:h", List.of(v("period", 'p'), v("slice", 's'),
                    v("latency", 'l'), v("extra", 'e'), v("weight", 'w'), v("cpupool", 'c'), f("help", 'h')))), // no --domain in 4.2
            Map.entry("cpupool-create", new Table("hnf:", List.of(f("help", 'h'), v("defconfig", 'f'), f("dryrun", 'n')))),
            Map.entry("cpupool-list", new Table("hc", List.of(f("help", 'h'), f("cpus", 'c')))));

    private LongOpts() {
    }

    /**
     * {@code args} with each long option (before "--") rewritten to its short letter, its value
     * following as the next word; unchanged for a command without long options.
     */
    static List<String> resolve(String cmd, List<String> args) {
        Table t = TABLES.get(cmd);
        if (t == null) return args;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) { // the end of options: the rest is operands, as typed
                out.addAll(args.subList(i, args.size()));
                break;
            }
            if (a.startsWith("--")) {
                i = longOption(t, args, i, out);
                continue;
            }
            out.add(a);
            if (a.startsWith("-") && a.length() > 1) i = skipShortValue(t.optstring(), args, i, out);
        }
        return out;
    }

    /** A short cluster whose valued letter ends the word takes the next word as its value, which is then no option. */
    private static int skipShortValue(String optstring, List<String> args, int i, List<String> out) {
        String a = args.get(i);
        for (int k = 1; k < a.length(); k++) {
            int at = a.charAt(k) == ':' ? -1 : optstring.indexOf(a.charAt(k));
            if (at >= 0 && at + 1 < optstring.length() && optstring.charAt(at + 1) == ':') {
                if (k + 1 == a.length() && i + 1 < args.size()) out.add(args.get(++i));
                break;
            }
        }
        return i;
    }

    /** glibc's process_long_option for {@code args[i]}; returns the index of the last word it consumed. */
    private static int longOption(Table t, List<String> args, int i, List<String> out) {
        String a = args.get(i);
        int eq = a.indexOf('=');
        String name = a.substring(2, eq < 0 ? a.length() : eq);
        Entry found = null;
        for (Entry e : t.longs()) {
            if (e.name().equals(name)) {
                found = e;
                break;
            }
        }
        if (found == null) {
            for (Entry e : t.longs()) {
                if (!e.name().startsWith(name)) continue;
                if (found == null) found = e;
                else if (found.hasArg() != e.hasArg() || found.val() != e.val()) { // ambiguous: optopt 0
                    out.add(refused('\0'));
                    return i;
                }
            }
        }
        if (found == null) { // unrecognized: optopt 0
            out.add(refused('\0'));
            return i;
        }
        if (eq >= 0 && !found.hasArg()) { // "doesn't allow an argument": optopt is the option's letter
            out.add(refused(found.val()));
            return i;
        }
        if (found.hasArg() && eq < 0) {
            if (i + 1 == args.size()) { // "requires an argument": optopt is the option's letter
                out.add(refused(found.val()));
                return i;
            }
            out.add("-" + found.val());
            out.add(args.get(++i));
            return i;
        }
        out.add("-" + found.val());
        if (found.hasArg()) out.add(a.substring(eq + 1));
        return i;
    }

    /** The token for an option getopt_long returned '?' for, carrying its optopt. */
    static String refused(char optopt) {
        return "--" + optopt;
    }

    /** The optopt a command's {@code option `X' not supported.} names for a word starting with "--". */
    static char optopt(String word) {
        return word.length() == 3 ? word.charAt(2) : '\0';
    }
}
