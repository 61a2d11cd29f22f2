package org.hvkit.scenario.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The command line of {@code bin/scenario} and the Gogo command {@code hvkit:scenario}. */
public final class Cli {
    public static final String USAGE = """
            usage: scenario [options] FILE|NAME...
              FILE   a scenario file (JSON, see examples/scenarios/README.md)
              NAME   a shipped scenario by the start of its file name, e.g. b3 or b1-cap
            options:
              --out DIR         where result files go (default: scenario-out); one folder per scenario and variant
              --variant NAME    run only this variant (repeat or comma-separate for several)
              --duration D      override the measured duration, e.g. 2s
              --warmup D        override the warm-up
              --seed N          override the seed
              --no-plots        skip the figures (SVG and PNG)
              --quiet           no progress line on stderr
              --list            list the shipped scenarios
              --schedulers      list the schedulers that can be used
            """;

    private Cli() {}

    /** Runs the command; returns the exit status. */
    public static int run(String[] args, SchedulerRegistry registry, Path scenarioDir, PrintStream out, PrintStream err) {
        List<String> targets = new ArrayList<>();
        Path outDir = Path.of("scenario-out");
        List<String> variants = new ArrayList<>();
        String duration = null, warmup = null;
        Long seed = null;
        boolean plots = true, quiet = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--out" -> outDir = Path.of(need(args, ++i, a));
                    case "--variant" -> { for (String v : need(args, ++i, a).split(",")) variants.add(v.strip()); }
                    case "--duration" -> duration = need(args, ++i, a);
                    case "--warmup" -> warmup = need(args, ++i, a);
                    case "--seed" -> seed = Long.parseLong(need(args, ++i, a));
                    case "--no-plots" -> plots = false;
                    case "--quiet" -> quiet = true;
                    case "--list" -> { list(scenarioDir, out); return 0; }
                    case "--schedulers" -> { out.println(String.join(" ", registry.names())); return 0; }
                    case "-h", "--help" -> { out.print(USAGE); return 0; }
                    default -> {
                        if (a.startsWith("--")) throw new IllegalArgumentException("unknown option " + a);
                        targets.add(a);
                    }
                }
            }
            if (targets.isEmpty()) {
                err.print(USAGE);
                return 2;
            }
            Runner runner = new Runner(registry, quiet ? null : err);
            for (String t : targets) {
                Path file = resolve(t, scenarioDir);
                ScenarioSpec spec = ScenarioLoader.load(file);
                if (duration != null) spec.duration = duration;
                if (warmup != null) spec.warmup = warmup;
                if (seed != null) spec.seed = seed;
                if (!spec.description.isBlank()) out.println("# " + spec.name + ": " + spec.description.strip());
                if (!spec.expect.isBlank()) out.println("# expected: " + spec.expect.strip());
                List<RunResult> results = new ArrayList<>();
                for (ScenarioLoader.Run run : ScenarioLoader.expand(spec)) {
                    if (!variants.isEmpty() && !variants.contains(run.variant())) continue;
                    if (duration != null) run.spec().duration = duration;
                    if (seed != null) run.spec().seed = seed;
                    RunResult r = runner.run(run.spec(), run.variant());
                    Reports.printTable(r, spec.metrics.perDomainLimit, out);
                    Path dir = outDir.resolve(spec.name);
                    if (!run.variant().isEmpty()) dir = dir.resolve(run.variant());
                    Reports.write(r, dir, plots);
                    results.add(r);
                }
                if (results.isEmpty()) throw new IllegalArgumentException(spec.name + ": no variant named " + variants);
                if (results.size() > 1) Reports.writeComparison(results, outDir.resolve(spec.name), plots);
                out.println("files: " + outDir.resolve(spec.name));
            }
            return 0;
        } catch (IllegalArgumentException | UncheckedIOException | org.hvkit.api.toolstack.HypervisorException e) {
            err.println("scenario: " + e.getMessage());
            return 1;
        }
    }

    private static String need(String[] args, int i, String opt) {
        if (i >= args.length) throw new IllegalArgumentException(opt + " needs a value");
        return args[i];
    }

    static Path resolve(String t, Path dir) {
        Path p = Path.of(t);
        if (Files.isRegularFile(p)) return p;
        if (dir != null && Files.isDirectory(dir)) {
            Path direct = dir.resolve(t.endsWith(".json") ? t : t + ".json");
            if (Files.isRegularFile(direct)) return direct;
            String prefix = t.toLowerCase(Locale.ROOT);
            try (Stream<Path> s = Files.list(dir)) {
                List<Path> m = s.filter(x -> x.getFileName().toString().toLowerCase(Locale.ROOT).startsWith(prefix)
                        && x.getFileName().toString().endsWith(".json")).sorted().toList();
                if (m.size() == 1) return m.get(0);
                if (m.size() > 1) {
                    for (Path x : m) if (x.getFileName().toString().toLowerCase(Locale.ROOT).startsWith(prefix + "-")) return x;
                    throw new IllegalArgumentException("'" + t + "' matches several scenarios: " + m.stream().map(x -> x.getFileName().toString()).toList());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalArgumentException("no scenario file or shipped scenario '" + t + "'" + (dir == null ? "" : " (looked in " + dir + ")"));
    }

    static void list(Path dir, PrintStream out) {
        if (dir == null || !Files.isDirectory(dir)) {
            out.println("(no scenario folder)");
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(x -> x.toString().endsWith(".json")).sorted().toList()) {
                String desc = "";
                try {
                    ScenarioSpec spec = ScenarioLoader.load(p);
                    desc = spec.description.strip();
                    int nl = desc.indexOf('\n');
                    if (nl > 0) desc = desc.substring(0, nl);
                } catch (RuntimeException e) {
                    desc = "(unreadable: " + e.getMessage() + ")";
                }
                out.printf("%-28s %s%n", p.getFileName(), desc);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
