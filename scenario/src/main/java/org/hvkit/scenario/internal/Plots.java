package org.hvkit.scenario.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of a run: the wake latency CDF, its tail (1 - F on log-log axes, where p99 and p99.9
 * can be read) and the CPU share over time. Each is a {@link Figure}, written as SVG and PNG.
 */
public final class Plots {
    static final int MAX_LINES = 16;
    static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd"};
    private static final int PW = 620, H = 480, L = 70, T = 40, B = 50;
    /** Average width of an 11 px sans-serif character, generous so legend text never runs off the image. */
    private static final double CHAR_W = 6.6;

    private Plots() {}

    /** Wake latency CDF per series, log x axis (µs) starting at the decade step just below the data. Points are (ns, fraction). */
    public static Figure latencyCdf(String title, Map<String, double[][]> series) {
        return latency(title, series, false);
    }

    /** The tail: 1 - F per series on log-log axes, with the p99 and p99.9 levels marked. Points are (ns, fraction). */
    public static Figure latencyTail(String title, Map<String, double[][]> series) {
        return latency(title, series, true);
    }

    private static Figure latency(String title, Map<String, double[][]> series, boolean tail) {
        List<String> names = new ArrayList<>(series.keySet()).subList(0, Math.min(MAX_LINES, series.size()));
        int r = legendWidth(names), w = L + PW + r;
        return new Figure(w, H, c -> {
            frame(c, w, title, "wake latency (us, log scale)", tail ? "fraction of wake-ups > x (log scale)" : "fraction of wake-ups <= x");
            double[] xr = xRange(series);
            if (xr == null) {
                c.text(w / 2.0, H / 2.0, "no wake-ups measured", "middle", 14, false, false);
                return;
            }
            double ph = H - T - B, ylo = tail ? tailFloor(series) : 0;
            for (double t : logTicks(xr[0], xr[1])) {
                double x = L + (Math.log10(t) - Math.log10(xr[0])) / (Math.log10(xr[1]) - Math.log10(xr[0])) * PW;
                c.line(x, T, x, T + ph, "#dddddd", 1, null);
                c.text(x, T + ph + 16, label(t), "middle", 11, false, false);
            }
            if (tail) {
                for (double d = 0; d >= ylo; d--) {
                    double y = T + d / ylo * ph;
                    c.line(L, y, L + PW, y, d == -2 || d == -3 ? "#999999" : "#dddddd", 1, d == -2 || d == -3 ? "2,3" : null);
                    c.text(L - 6, y + 4, d == 0 ? "1" : "1e" + (int) d, "end", 11, false, false);
                    if (d == -2 || d == -3) c.text(L + PW - 4, y - 3, d == -2 ? "p99" : "p99.9", "end", 10, false, false);
                }
            } else {
                for (int i = 0; i <= 4; i++) {
                    double y = T + ph - i / 4.0 * ph;
                    c.line(L, y, L + PW, y, "#dddddd", 1, null);
                    c.text(L - 6, y + 4, String.format(Locale.ROOT, "%.2f", i / 4.0), "end", 11, false, false);
                }
            }
            int k = 0;
            for (String name : names) {
                double[][] pts = series.get(name);
                double[] xs = new double[pts.length * 2 + 1], ys = new double[pts.length * 2 + 1];
                int m = 0;
                double prev = 0;
                for (double[] p : pts) {
                    double x = L + (Math.log10(Math.max(p[0] / 1e3, xr[0])) - Math.log10(xr[0])) / (Math.log10(xr[1]) - Math.log10(xr[0])) * PW;
                    if (tail) {
                        double before = 1 - prev, after = 1 - p[1];
                        xs[m] = x; ys[m++] = T + Math.log10(before) / ylo * ph;
                        if (after * Math.pow(10, -ylo) < 0.5) break; // below the floor: the last point, 1 - F = 0
                        xs[m] = x; ys[m++] = T + Math.max(ylo, Math.log10(after)) / ylo * ph;
                    } else {
                        xs[m] = x; ys[m++] = T + ph - prev * ph; // step
                        xs[m] = x; ys[m++] = T + ph - p[1] * ph;
                    }
                    prev = p[1];
                }
                String col = COLORS[k % COLORS.length];
                c.polyline(xs, ys, m, col, 1.8, null);
                legend(c, w, r, k, name, col, null);
                k++;
            }
            c.rect(L, T, PW, ph, "none", "#333333"); // last, so grid lines and steps do not cover the frame
        });
    }

    /** The x range in µs: from the 1-2-5 step at or below the smallest value to the one at or above the largest. */
    static double[] xRange(Map<String, double[][]> series) {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (double[][] pts : series.values()) for (double[] p : pts) {
            if (p[0] <= 0) continue; // a zero latency has no place on a log axis; it still counts in F
            lo = Math.min(lo, p[0] / 1e3);
            hi = Math.max(hi, p[0] / 1e3);
        }
        if (hi <= 0) return null;
        double a = step(lo, false), b = step(hi, true);
        if (b <= a) b = step(a * 1.01, true);
        return new double[] {a, b};
    }

    /** The nearest 1, 2, 5 x 10^k at or below (up = false) or at or above v. */
    static double step(double v, boolean up) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        double[] ms = {1, 2, 5, 10};
        if (up) { for (double m : ms) if (m * p >= v * (1 - 1e-12)) return m * p; return 10 * p; }
        for (int i = ms.length - 1; i >= 0; i--) if (ms[i] * p <= v * (1 + 1e-12)) return ms[i] * p;
        return p;
    }

    static List<Double> logTicks(double lo, double hi) {
        List<Double> t = new ArrayList<>();
        for (double d = Math.floor(Math.log10(lo)); d <= Math.ceil(Math.log10(hi)); d++)
            for (double m : new double[] {1, 2, 5}) {
                double v = m * Math.pow(10, d);
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) t.add(v);
            }
        return t;
    }

    /** The tail's lowest decade (a negative exponent): one below the smallest non-zero 1 - F, at least 1e-3 so p99.9 shows. */
    static double tailFloor(Map<String, double[][]> series) {
        double min = 1e-3;
        for (double[][] pts : series.values()) for (double[] p : pts) if (1 - p[1] > 1e-12) min = Math.min(min, 1 - p[1]);
        return Math.min(-3, Math.floor(Math.log10(min)));
    }

    /** CPU share (pCPUs) per window, one panel per series with its fair share dashed; the window is in the title and axis. */
    public static Figure shareOverTime(String title, List<RunResult.Series> series) {
        List<RunResult.Series> shown = series.subList(0, Math.min(MAX_LINES, series.size()));
        double win = shown.isEmpty() ? 0 : shown.get(0).windowSeconds();
        String window = Durations.format(win * 1e9);
        String full = title + " (mean per " + window + " window)";
        int r = legendWidth(shown.stream().map(RunResult.Series::name).toList()), w = L + PW + r;
        double panel = 90, gap = 14;
        int h = (int) (T + Math.max(1, shown.size()) * (panel + gap) + B);
        return new Figure(w, h, c -> {
            c.text(w / 2.0, 22, full, "middle", 14, true, false);
            c.text(L + PW / 2.0, h - 12, "time after warm-up (s), one point per " + window + " window", "middle", 12, false, false);
            c.text(16, T + (h - T - B) / 2.0, "CPU share (pCPUs)", "middle", 12, false, true);
            double tmax = 0, ymax = 0;
            for (var x : shown) {
                tmax = Math.max(tmax, x.share().length * x.windowSeconds());
                for (double v : x.share()) ymax = Math.max(ymax, v);
                for (double v : x.fair()) ymax = Math.max(ymax, v);
            }
            if (shown.isEmpty() || tmax == 0) {
                c.text(w / 2.0, h / 2.0, "no samples", "middle", 14, false, false);
                return;
            }
            ymax = niceCeil(ymax * 1.05);
            int k = 0;
            for (var x : shown) {
                double top = T + k * (panel + gap), bottom = top + panel;
                for (int i = 0; i <= 2; i++) {
                    double y = bottom - i / 2.0 * panel;
                    c.line(L, y, L + PW, y, "#eeeeee", 1, null);
                    c.text(L - 6, y + 4, trim(ymax * i / 2), "end", 10, false, false);
                }
                int n = x.share().length;
                double[] xs = new double[n], ys = new double[n], fy = new double[n];
                for (int i = 0; i < n; i++) {
                    xs[i] = L + (i + 1) * x.windowSeconds() / tmax * PW;
                    ys[i] = bottom - x.share()[i] / ymax * panel;
                    fy[i] = bottom - x.fair()[i] / ymax * panel;
                }
                String col = COLORS[k % COLORS.length];
                c.polyline(xs, fy, n, "#555555", 1, "5,4");
                c.polyline(xs, ys, n, col, 1.6, null);
                c.rect(L, top, PW, panel, "none", "#333333");
                c.text(L + PW + 12, top + 14, x.name(), "start", 11, false, false);
                c.line(L + PW + 12, top + 22, L + PW + 34, top + 22, col, 2.5, null);
                c.text(L + PW + 40, top + 26, "share", "start", 10, false, false);
                c.line(L + PW + 12, top + 36, L + PW + 34, top + 36, "#555555", 1, "5,4");
                c.text(L + PW + 40, top + 40, "fair share", "start", 10, false, false);
                k++;
            }
            for (int i = 0; i <= 5; i++) c.text(L + i / 5.0 * PW, h - B + 4, trim(tmax * i / 5), "middle", 11, false, false);
        });
    }

    private static int legendWidth(List<String> names) {
        int longest = 12;
        for (String n : names) longest = Math.max(longest, n.length());
        return (int) Math.ceil(12 + 28 + longest * CHAR_W + 12);
    }

    private static void frame(Canvas c, int w, String title, String xl, String yl) {
        double ph = H - T - B;
        c.text(w / 2.0, 22, title, "middle", 14, true, false);
        c.rect(L, T, PW, ph, "none", "#333333");
        c.text(L + PW / 2.0, H - 12, xl, "middle", 12, false, false);
        c.text(16, T + ph / 2, yl, "middle", 12, false, true);
    }

    /** The full name, never cut: the figure is widened to fit the longest one (legendWidth). */
    private static void legend(Canvas c, int w, int r, int k, String name, String color, String dash) {
        double x = w - r + 12, y = T + 10 + k * 18;
        c.line(x, y, x + 22, y, color, 2.5, dash);
        c.text(x + 28, y + 4, name, "start", 11, false, false);
    }

    static String label(double us) {
        if (us >= 1e6) return trim(us / 1e6) + " s";
        if (us >= 1e3) return trim(us / 1e3) + " ms";
        if (us < 1) return trim(us * 1e3) + " ns";
        return trim(us) + " us";
    }

    static String trim(double v) {
        return Durations.trim(v);
    }

    static double niceCeil(double v) {
        if (v <= 0) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) if (m * p >= v) return m * p;
        return 10 * p;
    }
}
