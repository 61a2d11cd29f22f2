package org.hvkit.scenario.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hvkit.scenario.internal.RunResult.CapError;
import org.hvkit.scenario.internal.RunResult.Row;

/** The console table and the CSV, JSON and SVG files of runs. */
public final class Reports {
    private Reports() {}

    static String f(double v, int digits) {
        if (Double.isNaN(v)) return "-";
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    static String us(double v) {
        if (Double.isNaN(v)) return "-";
        if (v >= 10_000) return f(v / 1000, 0) + "ms";
        if (v >= 1000) return f(v / 1000, 1) + "ms";
        return f(v, v >= 100 ? 0 : 1) + "us";
    }

    /** The table a person reads: per domain (or per group when there are many), then the overall line. */
    public static void printTable(RunResult r, int perDomainLimit, PrintStream out) {
        out.printf(Locale.ROOT, "%n== %s%s  [%s]  %s, %d domains, %d vCPUs, %.2f s measured (+%.2f s warm-up), seed %d, %.2f s wall, %,.0f trace events/s%n",
                r.scenario(), r.variant().isEmpty() ? "" : " / " + r.variant(), schedulers(r.schedulers()), r.topology(), r.domainCount(), r.vcpuCount(),
                r.measuredSeconds(), r.warmupSeconds(), r.seed(), r.wallSeconds(), r.traceEventsPerWallSecond());
        boolean perDomain = r.domainCount() <= perDomainLimit;
        List<Row> rows = perDomain ? r.domains() : r.groups();
        String h = String.format(Locale.ROOT, "%-18s %4s %5s %4s %6s %6s %6s %6s | %8s %8s %8s %8s %8s | %8s %8s %8s %8s",
                perDomain ? "domain" : "group (mean/dom)", "vcpu", "weight", "cap", "share", "fair", "ratio", "err", "lat p50", "p90", "p99", "p99.9", "max",
                "cycles/s", "cs/s", "preempt/s", "migr/s");
        out.println(h);
        out.println("-".repeat(h.length()));
        for (Row x : rows) {
            String name = perDomain ? x.name() : x.name() + " x" + x.domains();
            out.printf(Locale.ROOT, "%-18s %4d %5d %4d %6s %6s %6s %6s | %8s %8s %8s %8s %8s | %8s %8s %8s %8s%n",
                    trunc(name, 18), x.vcpus(), x.weight(), x.cap(), f(x.share(), 3), f(x.fair(), 3), f(x.ratio(), 2), f(x.shareErrMean(), 2),
                    us(x.latP50Us()), us(x.latP90Us()), us(x.latP99Us()), us(x.latP999Us()), x.wakeups() == 0 ? "-" : us(x.latMaxUs()),
                    f(x.cyclesPerS(), 1), f(x.contextSwitchesPerS(), 1), f(x.preemptionsPerS(), 1), f(x.migrationsPerS(), 2));
        }
        var o = r.overall();
        out.printf(Locale.ROOT, "overall: Jain %.4f, share error mean %.3f p99 %.3f, wake latency p50 %s p99 %s p99.9 %s max %s (%,d wake-ups), %.0f cs/s (%.1f per pCPU), %.1f migr/s, utilisation %.1f%%%n",
                o.jainIndex(), o.shareErrMean(), o.shareErrP99(), us(o.latP50Us()), us(o.latP99Us()), us(o.latP999Us()), us(o.latMaxUs()), o.wakeups(),
                o.contextSwitchesPerS(), o.contextSwitchesPerPcpuPerS(), o.migrationsPerS(), 100 * o.utilisation());
        for (Row x : rows) {
            if (x.capError().isEmpty()) continue;
            StringBuilder sb = new StringBuilder("cap error " + x.name() + " (cap " + x.cap() + "%):");
            for (Map.Entry<String, CapError> e : x.capError().entrySet()) {
                CapError c = e.getValue();
                sb.append(String.format(Locale.ROOT, "  %s: mean|e| %.3f p99|e| %.3f range [%.3f, %.3f] (%d windows)", e.getKey(), c.meanAbs(), c.p99Abs(), c.min(), c.max(), c.windows()));
            }
            out.println(sb);
        }
        for (String w : r.warnings()) out.println("note: " + w);
    }

    static String schedulers(Map<String, String> m) {
        List<String> l = new ArrayList<>();
        m.forEach((k, v) -> l.add(m.size() == 1 ? v : k + ":" + v));
        return String.join(", ", l);
    }

    private static String trunc(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }

    static final String[] CSV_HEAD = {"scenario", "variant", "name", "group", "domains", "vcpus", "weight", "cap", "demand", "share", "fair", "ratio",
            "wakeups", "lat_mean_us", "lat_p50_us", "lat_p90_us", "lat_p99_us", "lat_p999_us", "lat_max_us", "cycles_per_s", "cs_per_s",
            "preemptions_per_s", "yields_per_s", "migrations_per_s", "cross_socket_migrations_per_s", "share_err_mean", "share_err_max",
            "cap_err_windows"};

    static String csvRow(RunResult r, Row x) {
        StringBuilder cap = new StringBuilder();
        x.capError().forEach((k, c) -> cap.append(cap.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%s:mean=%.4f/p99=%.4f/min=%.4f/max=%.4f", k, c.meanAbs(), c.p99Abs(), c.min(), c.max())));
        Object[] v = {r.scenario(), r.variant(), x.name(), x.group(), x.domains(), x.vcpus(), x.weight(), x.cap(), g(x.demand()), g(x.share()), g(x.fair()),
                g(x.ratio()), x.wakeups(), g(x.latMeanUs()), g(x.latP50Us()), g(x.latP90Us()), g(x.latP99Us()), g(x.latP999Us()), g(x.latMaxUs()),
                g(x.cyclesPerS()), g(x.contextSwitchesPerS()), g(x.preemptionsPerS()), g(x.yieldsPerS()), g(x.migrationsPerS()),
                g(x.crossSocketMigrationsPerS()), g(x.shareErrMean()), g(x.shareErrMax()), cap};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ",").append(csv(String.valueOf(v[i])));
        return sb.toString();
    }

    private static String g(double d) {
        return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.6g", d);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /**
     * Writes {@code domains.csv}, {@code groups.csv}, {@code result.json} and, each as .svg and
     * .png, {@code latency-cdf}, {@code latency-tail} and {@code share} for one run into {@code dir}.
     */
    public static List<Path> write(RunResult r, Path dir, boolean plots) {
        try {
            Files.createDirectories(dir);
            List<Path> files = new ArrayList<>();
            files.add(writeCsv(dir.resolve("domains.csv"), r, r.domains()));
            files.add(writeCsv(dir.resolve("groups.csv"), r, r.groups()));
            Path json = dir.resolve("result.json");
            ScenarioLoader.MAPPER.writeValue(json.toFile(), r);
            files.add(json);
            if (plots) {
                String title = r.scenario() + (r.variant().isEmpty() ? "" : " / " + r.variant()) + " [" + schedulers(r.schedulers()) + "]";
                figure(dir, "latency-cdf", Plots.latencyCdf(title + ": wake latency CDF", r.latencyCdf()), files);
                figure(dir, "latency-tail", Plots.latencyTail(title + ": wake latency tail (1 - CDF)", r.latencyCdf()), files);
                figure(dir, "share", Plots.shareOverTime(title + ": CPU share over time", r.shareSeries()), files);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One figure as name.svg and name.png. */
    private static void figure(Path dir, String name, Figure f, List<Path> files) throws IOException {
        Path svg = dir.resolve(name + ".svg"), png = dir.resolve(name + ".png");
        Files.writeString(svg, f.svg());
        Files.write(png, f.png());
        files.add(svg);
        files.add(png);
    }

    private static Path writeCsv(Path p, RunResult r, List<Row> rows) throws IOException {
        StringBuilder sb = new StringBuilder(String.join(",", CSV_HEAD)).append('\n');
        for (Row x : rows) sb.append(csvRow(r, x)).append('\n');
        Files.writeString(p, sb);
        return p;
    }

    /** One CSV of the groups of every variant, and one CDF plot comparing them. */
    public static List<Path> writeComparison(List<RunResult> runs, Path dir, boolean plots) {
        try {
            Files.createDirectories(dir);
            List<Path> files = new ArrayList<>();
            StringBuilder sb = new StringBuilder(String.join(",", CSV_HEAD)).append('\n');
            for (RunResult r : runs) for (Row x : r.groups()) sb.append(csvRow(r, x)).append('\n');
            Path csv = dir.resolve("comparison.csv");
            Files.writeString(csv, sb);
            files.add(csv);
            if (plots) {
                Map<String, double[][]> all = new java.util.LinkedHashMap<>();
                for (RunResult r : runs) r.latencyCdf().forEach((k, v) -> {
                    if (all.size() < Plots.MAX_LINES) all.put(r.variant().isEmpty() ? k : r.variant() + ": " + k, v);
                });
                String s = runs.get(0).scenario();
                figure(dir, "latency-cdf-comparison", Plots.latencyCdf(s + ": wake latency CDF, all variants", all), files);
                figure(dir, "latency-tail-comparison", Plots.latencyTail(s + ": wake latency tail (1 - CDF), all variants", all), files);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
