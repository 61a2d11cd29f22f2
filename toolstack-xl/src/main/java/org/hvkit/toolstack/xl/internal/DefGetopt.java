package org.hvkit.toolstack.xl.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What xl 4.2's def_getopt decides before a command runs: {@code -h} prints the command's help
 * (status 0), and too few operands print {@code 'xl CMD' requires at least N argument(s).} plus a
 * blank line on stderr and the help on stdout (status 2). Operands are counted the way GNU getopt
 * permutes them: options (and the value an option with ':' takes) are not operands, "--" ends options
 * and is not an operand either ({@code xl destroy -- web} destroys web).
 */
final class DefGetopt {
    /**
     * The optstring and required operand count each def_getopt command of 4.2 passes; not top,
     * whose -b/-i/-d batch options are hvkit's (4.2 runs xentop), so only its -h is checked.
     */
    record Spec(String optstring, int reqargs) {
    }

    static final Map<String, Spec> SPECS = Map.ofEntries(
            Map.entry("mem-max", new Spec("", 2)), Map.entry("mem-set", new Spec("", 2)),
            Map.entry("cd-eject", new Spec("", 2)), Map.entry("cd-insert", new Spec("", 3)),
            Map.entry("console", new Spec("n:t:", 1)), Map.entry("pci-list", new Spec("", 1)),
            Map.entry("pci-detach", new Spec("f", 2)), Map.entry("pci-attach", new Spec("", 2)),
            Map.entry("pci-assignable-list", new Spec("", 0)), Map.entry("pci-assignable-add", new Spec("", 1)),
            Map.entry("pci-assignable-remove", new Spec("r", 1)), Map.entry("migrate-receive", new Spec("Fedr", 0)),
            Map.entry("save", new Spec("c", 2)), Map.entry("migrate", new Spec("FC:s:ed", 2)),
            Map.entry("dump-core", new Spec("", 2)), Map.entry("pause", new Spec("", 1)),
            Map.entry("unpause", new Spec("", 1)), Map.entry("destroy", new Spec("", 1)),
            Map.entry("reboot", new Spec("F", 1)), Map.entry("vm-list", new Spec("", 0)),
            Map.entry("button-press", new Spec("", 2)), Map.entry("vcpu-list", new Spec("", 0)),
            Map.entry("vcpu-pin", new Spec("", 3)), Map.entry("vcpu-set", new Spec("", 2)),
            Map.entry("sharing", new Spec("", 0)), Map.entry("domid", new Spec("", 1)),
            Map.entry("domname", new Spec("", 1)), Map.entry("rename", new Spec("", 2)),
            Map.entry("trigger", new Spec("", 2)), Map.entry("sysrq", new Spec("", 2)),
            Map.entry("debug-keys", new Spec("", 1)), Map.entry("dmesg", new Spec("c", 0)),
Map.entry("network-attach", new Spec("", 1)),
            Map.entry("network-list", new Spec("", 1)), Map.entry("network-detach", new Spec("", 2)),
            Map.entry("block-attach", new Spec("", 2)), Map.entry("block-list", new Spec("", 1)),
            Map.entry("block-detach", new Spec("", 2)), Map.entry("uptime", new Spec("s", 1)),
            Map.entry("tmem-list", new Spec("al", 0)), Map.entry("tmem-freeze", new Spec("a", 0)),
            Map.entry("tmem-thaw", new Spec("a", 0)), Map.entry("tmem-set", new Spec("aw:c:p:", 0)),
            Map.entry("tmem-shared-auth", new Spec("au:A:", 0)), Map.entry("tmem-freeable", new Spec("", 0)),
            Map.entry("cpupool-destroy", new Spec("", 1)), Map.entry("cpupool-rename", new Spec("", 2)),
            Map.entry("cpupool-cpu-add", new Spec("", 2)), Map.entry("cpupool-cpu-remove", new Spec("", 2)),
            Map.entry("cpupool-migrate", new Spec("", 2)), Map.entry("cpupool-numa-split", new Spec("", 0)),
            Map.entry("remus", new Spec("bui:s:e", 2)));

    /**
     * Commands whose 4.2 main_* has no 'h': main_shutdown's getopt_long("wF") skips it silently,
     * the flask commands read argv[1] without getopt (setenforce -h is a bad mode, status 2).
     */
    static final java.util.Set<String> NO_DASH_H = java.util.Set.of("shutdown", "getenforce", "setenforce", "loadpolicy");

    /** Outcome of the pre-check: run the command, show its help, or too few operands. */
    enum Verdict { RUN, HELP, TOO_FEW }

    /**
     * The verdict, the arguments as getopt leaves argv (each option it returned as its own word,
     * {@code -x} or {@code -x VALUE}, then the operands; the refused options and "--" taken out, the
     * command runs on without them as in xl, except one "--" before operands that begin with '-'
     * where the command has options), and xl's {@code option `x' not supported.} lines for the
     * refused ones, in order.
     */
    record Result(Verdict verdict, List<String> args, List<String> warnings) {
    }

    private DefGetopt() {
    }

    /**
     * For a def_getopt command, HELP when -h comes up before any operand shortage is judged,
     * TOO_FEW when operands are missing. Commands with their own getopt_long (create, list,
     * sched-credit, ...) only get the -h check: a standalone "-h" before "--".
     */
    static Result check(String cmd, List<String> args) {
        Spec spec = SPECS.get(cmd);
        if (spec == null) {
            for (String a : args) {
                if (a.equals("--")) break;
                if (a.equals("-h") && !NO_DASH_H.contains(cmd)) return new Result(Verdict.HELP, args, List.of());
            }
            return new Result(Verdict.RUN, args, List.of());
        }
        String optstring = spec.optstring();
        // as glibc permutes argv: the options getopt returned, one word each, then the operands in order
        List<String> options = new ArrayList<>(), operands = new ArrayList<>(), warnings = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) { // ends the options and is itself no operand (optind steps over it)
                operands.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!a.startsWith("-") || a.length() == 1) {
                operands.add(a);
                continue;
            }
            for (int k = 1; k < a.length(); k++) {
                char c = a.charAt(k);
                int at = c == ':' ? -1 : optstring.indexOf(c);
                if (at >= 0 && at + 1 < optstring.length() && optstring.charAt(at + 1) == ':') {
                    if (k + 1 == a.length() && i + 1 == args.size()) { // its value is missing: getopt refuses it
                        warnings.add("option `" + c + "' not supported.");
                        break;
                    }
                    options.add("-" + c);
                    options.add(k + 1 < a.length() ? a.substring(k + 1) : args.get(++i));
                    break;
                }
                if (c == 'h' && at < 0) return new Result(Verdict.HELP, args, warnings);
                if (at < 0) warnings.add("option `" + c + "' not supported.");
                else options.add("-" + c);
            }
        }
        List<String> kept = new ArrayList<>(options);
        // an operand that looks like an option (it came after "--") keeps a "--" before the operands
        // for the commands that read options, so they do not take it for one
        if (!optstring.isEmpty() && operands.stream().anyMatch(o -> o.startsWith("-") && o.length() > 1)) kept.add("--");
        kept.addAll(operands);
        return new Result(operands.size() < spec.reqargs() ? Verdict.TOO_FEW : Verdict.RUN, kept, warnings);
    }

    /** The name def_getopt is given for its help: main_vcpulist of 4.2 passes "cpu-list", which is no command's prefix. */
    static String helpName(String cmd) {
        return cmd.equals("vcpu-list") ? "cpu-list" : cmd;
    }

    /** The stderr line of a shortage, with its blank line. */
    static String tooFew(String cmd) {
        int n = SPECS.get(cmd).reqargs();
        return "'xl " + cmd + "' requires at least " + n + " argument" + (n > 1 ? "s" : "") + ".\n\n";
    }
}
